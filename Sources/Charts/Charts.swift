/// SVG charts: line, histogram, KDE, ROC, precision-recall, scatter and image grids.
public enum Charts {}

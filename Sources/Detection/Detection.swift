/// Anomaly scores, classical baselines and evaluation metrics (ROC, precision-recall, thresholds).
public enum Detection {}

import LabDocument

/// The self-contained HTML report of a lab run, rendered from the templates in `Templates/`.
public enum Report {}

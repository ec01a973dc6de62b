import LabDocument

/// Runs a lab's steps in order against a workspace of named datasets, models and scores.
public enum Runner {}

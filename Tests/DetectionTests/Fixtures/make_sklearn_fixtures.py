"""Generates sklearn-metrics.json: scores, labels and scikit-learn's metrics for them.

Run once with scikit-learn installed (python3 make_sklearn_fixtures.py); the JSON is committed
and the Swift tests compare swift-lab's metrics with it to 1e-9. A development tool only.
"""
import json

import numpy as np
import sklearn
from sklearn import metrics

rng = np.random.default_rng(2024)


def case(name, scores, labels):
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=int)
    fpr, tpr, roc_thresholds = metrics.roc_curve(labels, scores)
    precision, recall, pr_thresholds = metrics.precision_recall_curve(labels, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1s = 2 * (precision * recall)[:-1] / (precision + recall)[:-1]
    f1s = np.nan_to_num(f1s, nan=0.0)
    best = pr_thresholds[int(np.argmax(f1s))]
    predicted = (scores >= best).astype(int)
    return {
        "name": name,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "roc_fpr": fpr.tolist(),
        "roc_tpr": tpr.tolist(),
        "roc_thresholds": [None if np.isinf(t) else float(t) for t in roc_thresholds],
        "roc_auc": metrics.roc_auc_score(labels, scores),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
        "pr_thresholds": pr_thresholds.tolist(),
        "average_precision": metrics.average_precision_score(labels, scores),
        "pr_auc_trapezoid": metrics.auc(recall, precision),
        "f1_optimal_threshold": float(best),
        "at_threshold": {
            "precision": metrics.precision_score(labels, predicted, zero_division=0),
            "recall": metrics.recall_score(labels, predicted, zero_division=0),
            "f1": metrics.f1_score(labels, predicted, zero_division=0),
            "accuracy": metrics.accuracy_score(labels, predicted),
            "confusion_matrix": metrics.confusion_matrix(labels, predicted, labels=[0, 1]).tolist(),
        },
    }


cases = []
n = 200
labels = (rng.random(n) < 0.2).astype(int)
cases.append(case("random", rng.normal(labels * 1.0, 1.0), labels))
labels = (rng.random(100) < 0.3).astype(int)
cases.append(case("ties", np.round(rng.normal(labels * 0.8, 1.0), 1), labels))
cases.append(case("all-equal", np.full(40, 0.5), (np.arange(40) % 4 == 0).astype(int)))
labels = np.zeros(50, dtype=int)
labels[17] = 1
cases.append(case("single-positive", rng.random(50), labels))
labels = (rng.random(1000) < 0.01).astype(int)
labels[:3] = 1
cases.append(case("imbalanced", rng.normal(labels * 2.0, 1.0), labels))
cases.append(case("perfect", [0.1, 0.2, 0.3, 0.9, 0.95], [0, 0, 0, 1, 1]))
cases.append(case("inverted", [0.9, 0.8, 0.3, 0.2, 0.1], [0, 0, 0, 1, 1]))
labels = (rng.random(300) < 0.25).astype(int)
cases.append(case("integer-scores", rng.integers(0, 6, 300) + labels, labels))
cases.append(case("large-scale", rng.normal(labels * 0.5, 1.0) * 1e6 + 3e7, labels))

with open("sklearn-metrics.json", "w") as f:
    json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases with scikit-learn {sklearn.__version__}")

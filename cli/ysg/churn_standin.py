"""The churn model's local stand-in: on the emulator, where SNOWFLAKE.ML.CLASSIFICATION does not exist,
gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier; Snowflake's classification is
gradient boosting too) train on the same training view, are evaluated on the same held-out accounts
and score the same accounts, and the results land in CHURN_PREDICTIONS and CHURN_MODEL_METRICS in the
shape the Snowflake hook writes, labelled `local stand-in` in their `model` column.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ysg_core import naming
from ysg_core.render import render

MODEL = "local stand-in"
LABEL = "CHURN_LABEL"
CHURNED = "CHURNED"
SEED = 0   # fixed, so the same views give the same model
_SELECT = "SELECT * FROM {{ qualified:view }}"
_DELETE = "DELETE FROM {{ qualified:table }}"
# Values are bound, never formatted into the text; `{marker}` is the connection's bind marker.
_INSERT_PREDICTION = ("INSERT INTO {{ qualified:table }} (account_id, churn_probability, predicted_churn, "
                      "scored_at, model) VALUES ({marker}, {marker}, {marker}, {marker}, {marker})")
_INSERT_METRIC = ("INSERT INTO {{ qualified:table }} (metric_name, metric_value, evaluated_at, model) "
                  "VALUES ({marker}, {marker}, {marker}, {marker})")
# The connector's bind markers by paramstyle: qmark binds on the server, (py)format in the client.
_MARKERS = {"qmark": "?", "numeric": "?", "pyformat": "%s", "format": "%s"}


@dataclass(frozen=True)
class StandInResult:
    metrics: dict[str, float]
    scored: int
    predicted_churn: int


def _frame(cursor, database: str, view: str):
    import pandas as pd   # lazy, for start-up: pandas loads only when the stand-in trains

    (sql,) = render(_SELECT, {"view": naming.qualified(database, naming.ANALYTICS_SCHEMA, view)},
                    source="cli/ysg/churn_standin.py")
    cursor.execute(sql)
    columns = [d[0].upper() for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def _features(frame, names: list[str]):
    return frame[names].apply(lambda column: column.astype(float))


def train_evaluate_score(connection, database: str, now: dt.datetime | None = None) -> StandInResult:
    """Train on V_CHURN_TRAINING, evaluate on V_CHURN_HOLDOUT, score V_CHURN_SCORING; write both tables."""
    cursor = connection.cursor()
    marker = _MARKERS[getattr(connection, "_paramstyle", None) or "pyformat"]
    try:
        return _run(cursor, database, marker, now)
    finally:
        cursor.close()


def _run(cursor, database: str, marker: str, now: dt.datetime | None) -> StandInResult:
    # Lazy, for start-up: scikit-learn (with scipy) loads only when the stand-in trains, not on every `ysg up`.
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

    training = _frame(cursor, database, "V_CHURN_TRAINING")
    holdout = _frame(cursor, database, "V_CHURN_HOLDOUT")
    scoring = _frame(cursor, database, "V_CHURN_SCORING")
    # The features are exactly the training view's columns but the label, as for CREATE CLASSIFICATION:
    # "Any columns that are not named in the TARGET_COLNAME arguments are considered training variables".
    features = [c for c in training.columns if c != LABEL]
    if training.empty or training[LABEL].nunique() < 2:
        raise ValueError(f"{database}: V_CHURN_TRAINING needs rows of both classes to train the churn model "
                         f"(has {len(training)} rows, classes {sorted(training[LABEL].unique())})")
    model = HistGradientBoostingClassifier(random_state=SEED)
    model.fit(_features(training, features), training[LABEL] == CHURNED)

    actual = (holdout[LABEL] == CHURNED).to_numpy()
    probability = model.predict_proba(_features(holdout, features))[:, 1]
    predicted = probability >= 0.5   # the class "with the highest probability", as PREDICT's
    metrics = {
        "precision": float(precision_score(actual, predicted, zero_division=0)),
        "recall": float(recall_score(actual, predicted, zero_division=0)),
        "f1": float(f1_score(actual, predicted, zero_division=0)),
        "accuracy": float(accuracy_score(actual, predicted)),
        "auc": float(roc_auc_score(actual, probability)) if len(set(actual)) == 2 else float("nan"),
        "holdout_snapshots": float(len(actual)),
        "holdout_churned": float(actual.sum()),
    }

    scores = model.predict_proba(_features(scoring, features))[:, 1] if len(scoring) else []
    now = (now or dt.datetime.now(dt.timezone.utc)).replace(tzinfo=None, microsecond=0)
    predictions = [(int(a), float(p), bool(p >= 0.5), now, MODEL) for a, p in zip(scoring["ACCOUNT_ID"], scores)]
    _replace(cursor, database, marker, "CHURN_PREDICTIONS", _INSERT_PREDICTION, predictions)
    _replace(cursor, database, marker, "CHURN_MODEL_METRICS", _INSERT_METRIC,
             [(name, value, now, MODEL) for name, value in metrics.items()])
    return StandInResult(metrics=metrics, scored=len(predictions), predicted_churn=sum(p[2] for p in predictions))


def _replace(cursor, database: str, marker: str, table: str, insert: str, rows: list[tuple]) -> None:
    qualified = naming.qualified(database, naming.ANALYTICS_SCHEMA, table)
    (delete,) = render(_DELETE, {"table": qualified}, source="cli/ysg/churn_standin.py")
    (insert_sql,) = render(insert.replace("{marker}", marker), {"table": qualified}, source="cli/ysg/churn_standin.py")
    cursor.execute(delete)
    if rows:
        cursor.executemany(insert_sql, rows)

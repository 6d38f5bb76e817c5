"""An Airflow DAG of the nightly ingestion: one task per source, then the org maps.

One task per source, so the grid shows which export failed or had rejects, and a retry re-runs
only that source (ingestion is idempotent: re-running is safe).

Exit codes (README, "Exit codes"): 0 all loaded; 10 the good rows are loaded and some rows
were rejected (see the rejects file): the task ends **skipped** (``skip_on_exit_code=10``,
Airflow >= 2.6), a visible state of its own rather than a silent success; any other code fails
the task, and Airflow retries it. The other sources run after the CRM whatever its outcome
(links to records not loaded yet stay pending and are completed by the run that loads them);
the maps run when no source failed (``trigger_rule="none_failed"``: skipped counts as not
failed). The store takes one writer at a time, so each task waits up to 30 minutes for another.
"""

from __future__ import annotations

import datetime as dt

from airflow import DAG  # type: ignore[import-not-found]
from airflow.operators.bash import BashOperator  # type: ignore[import-not-found]

EXPORTS = "/srv/exports/{{ ds }}"
REJECTS = "/var/log/kamgraph/rejects-{{ ds }}"
MAPS = "/srv/maps/{{ ds }}"
#: kamgraph ingest SOURCE ARGS: the CRM first (it defines the companies), then the others.
SOURCES = {
    "salesforce": f"{EXPORTS}/salesforce --full",
    "finance": f"{EXPORTS}/erp/finance.csv",
    "notes": f"{EXPORTS}/notes.csv",
    "policies": f"{EXPORTS}/policies.csv",
}
#: The exit code of an ingest that loaded the good rows and rejected some.
EXIT_REJECTED = 10

with DAG(
    "kamgraph_nightly",
    schedule="30 2 * * *",
    start_date=dt.datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 2, "retry_delay": dt.timedelta(minutes=10)},
) as dag:
    tasks = {
        source: BashOperator(
            task_id=f"ingest_{source}",
            bash_command=(
                f"mkdir -p {REJECTS} && kamgraph ingest {source} {args} --quiet "
                f"--log-format json --wait 1800 --rejects {REJECTS}/{source}.csv"
            ),
            skip_on_exit_code=EXIT_REJECTED,
            # After the CRM whatever its outcome: what it did not load stays pending.
            trigger_rule="all_done",
        )
        for source, args in SOURCES.items()
    }
    maps = BashOperator(
        task_id="maps",
        bash_command=f"kamgraph map --all {MAPS}",
        trigger_rule="none_failed",
    )
    crm, *others = tasks.values()
    for task in others:
        crm >> task >> maps

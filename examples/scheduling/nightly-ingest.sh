#!/usr/bin/env bash
# Nightly CRM + finance load. Exit codes: 0 all loaded, 10 some rows rejected (see the rejects
# files; the good rows are in), anything else: the run failed and nothing partial is hidden -
# re-running is safe (ingestion is idempotent). The jobs may also run separately and in any
# order (e.g. the ERP's finance job before the CRM job): links to records not loaded yet are
# kept pending (exit 0) and completed by the run that loads them; `kamgraph runs --pending`
# lists what still waits.
set -u
EXPORTS=${EXPORTS:-/srv/exports/$(date +%F)}
REJECTS=${REJECTS:-/var/log/kamgraph/rejects-$(date +%F)}
mkdir -p "$REJECTS"
status=0
run() {
  kamgraph ingest "$@" --quiet --log-format json --wait 1800
  rc=$?
  if [ "$rc" -ne 0 ] && { [ "$status" -eq 0 ] || [ "$rc" -ne 10 ]; }; then status=$rc; fi
}
run salesforce "$EXPORTS/salesforce" --full --rejects "$REJECTS/salesforce.csv"
run finance "$EXPORTS/erp/finance.csv" --rejects "$REJECTS/finance.csv"
run notes "$EXPORTS/notes.csv" --rejects "$REJECTS/notes.csv"
run policies "$EXPORTS/policies.csv" --rejects "$REJECTS/policies.csv"
exit "$status"

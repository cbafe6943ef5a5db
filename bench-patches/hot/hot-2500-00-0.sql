-- Baseline of the hot patch set: nothing of its own. The tables these patches alter are pgbench's
-- (pgbench_accounts, pgbench_history, pgbench_tellers, pgbench_branches), which the benchmark's load writes all the
-- time: `bench downtime --load pgbench --patches bench-patches/hot` applies them under that load.
CREATE TABLE hot_bench (note text);

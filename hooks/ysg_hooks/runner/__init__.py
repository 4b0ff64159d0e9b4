"""The hook runner: applies a hook manifest to one environment, in dependency order, once per checksum.

State lives in the environment itself (a ledger and a lock in `<DB>.SFE_PLATFORM_OPS`), so any machine
that can connect sees the same history and a second concurrent run is refused. One job per module:
`hook_runner` (plan and apply, wiring the rest), `plan` (each hook's state from the ledger), `report`
(what a run did, as text), `ledger` (its rows and statements), `snapshot` (the ledger read beside the
acquire), `writer` (the ledger written from one thread), `lock` (the lock protocol), `heartbeat` (the
lock renewed during a run), `scheduler` (hooks run concurrently in dependency order), `files` (PUT paths).
"""
from ysg_hooks.runner.files import local_files
from ysg_hooks.runner.hook_runner import DEFAULT_LOCK_TTL_SECONDS, HookRunner
from ysg_hooks.runner.plan import HookPlan
from ysg_hooks.runner.report import ApplyReport, HookFailure

__all__ = ["DEFAULT_LOCK_TTL_SECONDS", "ApplyReport", "HookFailure", "HookPlan", "HookRunner", "local_files"]

"""The only module that touches durable-rules.

durable-rules keeps a C-backed, process-global engine: it crashes when called from several threads
at once, never forgets a registered ruleset name, caps live session states at 1,024 per ruleset, and
its `Host` starts timer threads that do not survive a fork. This adapter owns one host per process
(rebuilt after fork), one process-wide lock, registration once per ruleset name, a short-lived
session id per decision with `delete_state` in `finally`, and maps every durable-rules failure to
ours.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Iterable
from typing import Any

from durable.engine import Host, MessageNotHandledException

from app.engine.errors import DecisionError

_SID_SPACE = 512  # well below durable-rules' 1,024 live states per ruleset


class _QuietHost(Host):  # type: ignore[misc]  # durable-rules has no type information: Host is Any
    """A host without the timer threads: we use neither timers nor queued events."""

    def __init__(self, fired: list[str]) -> None:
        self._fired = fired
        super().__init__()

    def _run(self) -> None:
        """Deliberately empty: the base class starts dispatch timers here."""

    def get_action(self, action_name: str) -> Any:
        """durable-rules resolves each rule's `run` name here: record that the rule fired."""
        fired = self._fired

        def record(closure: Any) -> None:
            fired.append(action_name)

        return record


class _Process:
    """The host and its bookkeeping for the current process."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.fired: list[str] = []
        self.host = _QuietHost(self.fired)
        self.registered: set[str] = set()
        self.sid = 0


_lock = threading.Lock()
_process: _Process | None = None


def _reset_after_fork() -> None:
    global _lock, _process
    _lock = threading.Lock()
    _process = None


os.register_at_fork(after_in_child=_reset_after_fork)


def _current() -> _Process:
    global _process
    if _process is None or _process.pid != os.getpid():
        _process = _Process()
    return _process


def decide(
    name: str, definition: dict[str, Any], facts: Iterable[dict[str, Any]]
) -> list[set[str]]:
    """Assert each fact alone in a fresh session of ruleset `name`; return the rules that fired.

    The ruleset is registered on first use (a deep copy: durable-rules mutates what it is given).
    One fact per session, because batched facts fired only some actions in trials.
    """
    with _lock:
        state = _current()
        host = state.host
        try:
            if name not in state.registered:
                host.set_rulesets({name: copy.deepcopy(definition)})
                state.registered.add(name)
        except Exception as exc:  # durable-rules raises bare Exception for bad definitions
            raise DecisionError(f"durable-rules menolak aturan '{name}': {exc}") from exc
        out: list[set[str]] = []
        for fact in facts:
            state.sid = (state.sid + 1) % _SID_SPACE
            sid = str(state.sid)
            message = dict(fact)
            message["sid"] = sid
            message["id"] = 1
            state.fired.clear()
            try:
                result = host.assert_fact(name, message)
                if isinstance(result, dict) and "exception" in result:
                    raise DecisionError(f"Aksi aturan gagal: {result['exception']}")
            except MessageNotHandledException:
                pass  # no rule matched: an answer, not an error
            except DecisionError:
                raise
            except Exception as exc:
                raise DecisionError(f"durable-rules gagal memutuskan: {exc}") from exc
            finally:
                try:
                    host.delete_state(name, sid)
                except Exception as exc:  # never leave a state behind silently
                    raise DecisionError(f"durable-rules gagal menghapus sesi: {exc}") from exc
            out.append(set(state.fired))
        return out

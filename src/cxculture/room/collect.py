"""Submissions from the room's participants, turned into saved results.

A submission is ``{device, lang, segment, answers}``. The answers are checked by
``answers.from_data`` and scored by ``session.score`` exactly as ``assess
--answers`` does; the result (org and segment, never a name) is saved by
``results.save``. A device that sends again replaces its own file in place
(atomically), so it is counted once. A submission is confirmed only once its
file and its name in the folder are on disk (fsync of both).

Two steps, so the web server can keep the disk waits off its event loop:
``check`` (validation, scoring, the file's text: CPU only) and ``store`` (the
disk). ``accept`` does both. Thread-safe: ``store`` runs in worker threads
while the live view reads ``snapshot``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from cxculture import answers as answers_io
from cxculture import results, scoring, session
from cxculture.errors import CxError
from cxculture.fileio import FolderSync, write_atomic, write_new
from cxculture.lang import Lang
from cxculture.loading import Content
from cxculture.model import Result
from cxculture.scoring import Scorer, Scores
from cxculture.workshop import MIN_GROUP

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
FIELDS = frozenset({"device", "lang", "segment", "answers"})
MAX_RESPONSES = 2000  # far above a workshop; bounds what a misbehaving client can write


class Rejected(CxError):
    """A submission that is not accepted; the message says which field and why."""


class NotSaved(CxError):
    """A valid submission that could not be written (disk full, folder removed…); the consultant is told."""


class RoomFull(CxError):
    """No more responses are taken (``MAX_RESPONSES`` reached)."""


@dataclass(frozen=True)
class Settings:
    """What the consultant chose for this room."""

    org: str
    out: Path
    segments: tuple[str, ...] = ()
    show_results: bool = False
    source: str = "room"  # names the files: acme-room-001-<date>.json
    min_group: int = MIN_GROUP  # a group smaller than this shows its head count only
    wave: str | None = None  # the survey round written in every result, e.g. "T0"


@dataclass(frozen=True)
class Response:
    """One saved response, as the live view needs it."""

    path: Path
    result: Result
    scores: Scores


@dataclass(frozen=True)
class Checked:
    """A valid submission, scored, with the text of its result file: ready to store."""

    device: str
    result: Result
    scores: Scores
    text: str


@dataclass
class Collector:
    """The responses of one room, by device."""

    content: Content
    settings: Settings
    _responses: dict[str, Response] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrivals: int = 0
    problems: list[str] = field(default_factory=list)  # saving failures, for the consultant's eyes only
    revision: int = 0  # counts the changes to the responses and problems (the live view redraws on a new one)
    _handling: int = 0  # submissions being received, checked or saved right now

    _folder_sync: FolderSync | None = None
    _scorer: Scorer | None = None  # the content's, made once: it remembers the figures of answers seen before

    def accept(self, data: object) -> tuple[Response, bool]:
        """Validate, score and save one submission; return it and whether it replaced an earlier one."""
        return self.store(self.check(data))

    def check(self, data: object) -> Checked:
        """Validate and score one submission as ``assess --answers`` does (``Rejected`` says why not)."""
        device, lang, segment, raw_answers = self._check(data)
        given, _ = answers_io.from_data(
            {"answers": raw_answers, "org": self.settings.org, "segment": segment},
            self.content.questionnaire,
            "submission",
        )
        if self._scorer is None:
            self._scorer = scoring.scorer(self.content.levels, self.content.questionnaire, self.content.pillars)
        result, scores = session.score(self.content, given, lang, self._scorer)
        result = replace(results.anonymous(result), wave=self.settings.wave)  # never a name, whatever was sent
        return Checked(device, result, scores, results.to_json(result))

    def store(self, checked: Checked) -> tuple[Response, bool]:
        """Write a checked submission (a new file, or the device's own file replaced); ``NotSaved`` if it failed."""
        with self._device_lock(checked.device):
            earlier = self._responses.get(checked.device)
            try:
                if earlier is None:
                    name = f"{self.settings.source} {self._number():03d}"  # as results.save names it
                    stem = results.file_stem(checked.result.org, name, checked.result.created_at)
                    path = write_new(self.settings.out, stem, ".json", checked.text)
                else:
                    path = write_atomic(earlier.path, checked.text, force=True)
                self._folder().flush()
            except CxError as error:
                with self._lock:
                    self.problems.append(str(error))
                    self._changed()
                raise NotSaved(str(error)) from None
            response = Response(path, checked.result, checked.scores)
            with self._lock:
                self._responses[checked.device] = response
                self._changed()
        return response, earlier is not None

    def _changed(self) -> None:  # under self._lock
        self.revision += 1

    @contextmanager
    def handling(self) -> Iterator[None]:
        """Counts a submission as under way while it is received, checked and saved (see ``state``)."""
        with self._lock:
            self._handling += 1
        try:
            yield
        finally:
            with self._lock:
                self._handling -= 1

    def snapshot(self) -> list[Response]:
        """The responses so far (one per device), in arrival order."""
        with self._lock:
            return list(self._responses.values())

    def state(self) -> tuple[int, int]:
        """The revision, and how many submissions are under way (many: a burst is arriving)."""
        with self._lock:
            return self.revision, self._handling

    def recent_problems(self) -> list[str]:
        """The last few saving failures (the consultant must know an answer was not kept)."""
        with self._lock:
            return self.problems[-3:]

    def _number(self) -> int:
        """The arrival number of a new response (file names stay distinct without a search)."""
        with self._lock:
            self._arrivals += 1
            return self._arrivals

    def _folder(self) -> FolderSync:
        with self._lock:
            if self._folder_sync is None:
                self._folder_sync = FolderSync(self.settings.out)
            return self._folder_sync

    def _device_lock(self, device: str) -> threading.Lock:
        with self._lock:
            lock = self._locks.get(device)
            if lock is None:
                if len(self._locks) >= MAX_RESPONSES:
                    raise RoomFull(f"the room takes at most {MAX_RESPONSES} responses")
                lock = self._locks[device] = threading.Lock()
            return lock

    def _check(self, data: object) -> tuple[str, Lang, str | None, object]:
        if not isinstance(data, dict):
            raise Rejected("submission: expected a JSON object")
        extra = sorted(str(key)[:40] for key in data if key not in FIELDS)
        if extra:
            raise Rejected(f"submission: unknown field {', '.join(extra[:5])}")
        device = data.get("device")
        if not isinstance(device, str) or not DEVICE_ID.fullmatch(device):
            raise Rejected("submission: device: expected 16 to 64 letters, digits, - or _")
        lang = data.get("lang")
        languages = self.content.languages
        if not isinstance(lang, str) or lang not in languages:
            raise Rejected(f"submission: lang: use {' or '.join(languages.codes)}")
        segment = data.get("segment")
        if segment is not None and segment not in self.settings.segments:
            raise Rejected("submission: segment: not one of this room's segments")
        return device, lang, segment, data.get("answers")

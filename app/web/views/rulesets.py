"""Panel pages for ruleset versions: list, editor with live validation, weights form, diff,
what-if simulation, publish and roll back; and Kepegawaian's page to re-pin a period.

The pages only collect input and render; every decision is in
`app.services.authoring.ruleset_versions` and `app.services.authoring.simulation`.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import ValidationError

from app.domain.enums import (
    LABELS,
    PREDICATES,
    RATER_KINDS,
    JobState,
    PeriodState,
    RulesetStatus,
    label,
)
from app.engine import as_tree
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Evaluation, Indicator, Job, Period, RuleSetVersion
from app.services import jobs
from app.services.authoring import (
    condition_builder,
    rule_changes,
    rule_forms,
    rule_sections,
    simulation,
    yaml_edit,
)
from app.services.authoring import ruleset_versions as versions
from app.services.authoring.yaml_edit import format_number
from app.services.errors import InvalidInput, ServiceError
from app.services.public.confidentiality import MIN_GROUP
from app.web.actor import current_actor
from app.web.charts import distribution_svg
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE
from app.web.public_chart import masked_distribution_svg
from app.web.refusals import refusal_flashed

RULESET_METHODS: dict[str, str] = {
    **METHOD_PERMISSIONS,
    "index": READ,
    "show": READ,
    "export": READ,
    "diff": READ,
    "editor": WRITE,
    "save": WRITE,
    "new_draft": WRITE,
    "weights": WRITE,
    "save_weights": WRITE,
    "section": WRITE,
    "save_section": WRITE,
    "condition_preview": WRITE,
    "validate": WRITE,
    "simulation": WRITE,
    "simulation_excel": WRITE,
    "simulation_rerun": WRITE,
    "simulation_progress": WRITE,
    "publish": WRITE,
    "confirm_publish": WRITE,
    "approve": WRITE,
    "roll_back": WRITE,
}
REPIN_METHODS: dict[str, str] = {**METHOD_PERMISSIONS, "repin_form": WRITE, "repin": WRITE}
CHANGES_SHOWN = 500
BUCKET_LABELS = {**LABELS, simulation.INCOMPLETE: "Belum lengkap"}


def check_csrf() -> None:
    """The panel's POSTs carry the session's CSRF token (form field or X-CSRFToken header).

    Checked here as well as by the app-wide CSRFProtect, so that these pages stay protected
    whichever order the extensions are installed in."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken", "")
    try:
        validate_csrf(token)
    except (ValidationError, CSRFError):
        raise InvalidInput(
            "Sesi formulir kedaluwarsa; muat ulang halaman lalu coba lagi."
        ) from None


def _periods() -> list[Period]:
    """Periods for the simulation's choice: open ones first, then the newest."""
    rows = list(db.session.scalars(select(Period).order_by(Period.start_date.desc())))
    return sorted(rows, key=lambda p: p.state != PeriodState.OPEN)


def _simulation_periods() -> list[Period]:
    """The periods a simulation may run on (in review or closed), those in review first, then
    the newest: an open period's ratings are still being entered."""
    rows = db.session.scalars(
        select(Period)
        .where(Period.state.in_(simulation.TARGET_STATES))
        .order_by(Period.start_date.desc())
    )
    return sorted(rows, key=lambda p: p.state != PeriodState.REVIEW)


def _int_arg(name: str) -> int | None:
    value = request.values.get(name, "")
    return int(value) if value.isdigit() else None


class RuleSetView(BaseView):
    """Pages under /aturan/ (resource RuleSet: read for Kepegawaian, write for policy officers)."""

    route_base = "/aturan"
    class_permission_name = "RuleSet"
    method_permission_name = RULESET_METHODS
    default_view = "index"

    def _version(self, version_id: int) -> RuleSetVersion:
        return versions.get_version(db.session, version_id)

    @expose("/")
    @has_access
    def index(self) -> str:
        rows = list(
            db.session.scalars(
                select(RuleSetVersion).order_by(RuleSetVersion.name, RuleSetVersion.number.desc())
            )
        )
        actor = current_actor()
        return self.render_template(
            "kinerja/rules_index.html",
            versions=rows,
            authors=self._authors(*rows),
            can_write=actor.is_policy_officer,
            can_repin=actor.is_hr,
        )

    def _authors(self, *rows: RuleSetVersion) -> dict[int, str]:
        """Usernames of the versions' authors (only those: a province has many users)."""
        ids = {row.author_id for row in rows if row.author_id}
        if not ids:
            return {}
        user = self.appbuilder.sm.user_model
        return dict(
            db.session.execute(select(user.id, user.username).where(user.id.in_(ids))).all()
        )

    @expose("/<int:version_id>")
    @has_access
    def show(self, version_id: int) -> str:
        version = self._version(version_id)
        actor = current_actor()
        issues = versions.check(db.session, version.yaml_text)
        base = (
            versions.base_version(db.session, version)
            if version.status == RulesetStatus.DRAFT
            else None
        )
        return self.render_template(
            "kinerja/rules_show.html",
            base=base,
            changes=rule_changes.summarise_texts(
                base.yaml_text, version.yaml_text, self._indicator_names()
            )
            if base is not None
            else None,
            change_sections=rule_changes.SECTIONS,
            version=version,
            issues=issues,
            parent=db.session.get(RuleSetVersion, version.parent_id) if version.parent_id else None,
            author=self._authors(version).get(version.author_id or 0, "-"),
            periods=_simulation_periods(),
            pinned=list(
                db.session.scalars(select(Period).where(Period.ruleset_version_id == version.id))
            ),
            can_write=actor.is_policy_officer,
            can_repin=actor.is_hr,
        )

    @expose("/<int:version_id>/ekspor")
    @has_access
    def export(self, version_id: int) -> Response:
        version = self._version(version_id)
        filename = f"{version.name}-v{version.number}.yaml"
        return Response(
            version.yaml_text,
            mimetype="application/x-yaml",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @expose("/<int:version_id>/ubah")
    @has_access
    def editor(self, version_id: int) -> str | BaseResponse:
        version = self._version(version_id)
        if version.status != RulesetStatus.DRAFT:
            flash(
                gettext("Versi yang sudah diterbitkan tidak dapat diubah; buat draf baru darinya."),
                "warning",
            )
            return redirect(url_for(".show", version_id=version_id))
        return self._editor_page(version, version.yaml_text, version.lock_version)

    def _editor_page(
        self, version: RuleSetVersion, text: str, lock_version: int, error: str | None = None
    ) -> str:
        return self.render_template(
            "kinerja/rules_editor.html",
            version=version,
            text=text,
            lock_version=lock_version,
            error=error,
            issues=versions.check(db.session, text),
        )

    @expose("/<int:version_id>/ubah", methods=["POST"])
    @has_access
    def save(self, version_id: int) -> str | BaseResponse:
        check_csrf()
        version = self._version(version_id)
        text = request.form.get("yaml_text", "").replace("\r\n", "\n")
        lock_version = _int_arg("lock_version") or 0
        try:
            versions.save_draft(
                db.session,
                current_actor(),
                version_id,
                text,
                lock_version,
                request.form.get("note"),
            )
        except ServiceError as exc:
            # keep the officer's text on the page: a conflict must never lose their work
            return self._editor_page(self._version(version_id), text, lock_version, exc.message)
        issues = versions.check(db.session, text)
        if issues:
            flash(
                gettext("Draf disimpan, tetapi belum valid: %(n)s masalah.", n=len(issues)),
                "warning",
            )
        else:
            flash(gettext("Draf disimpan dan valid."), "success")
        return redirect(url_for(".editor", version_id=version.id))

    @expose("/<int:version_id>/draf-baru", methods=["POST"])
    @has_access
    def new_draft(self, version_id: int) -> BaseResponse:
        check_csrf()
        parent = self._version(version_id)
        draft = versions.create_draft(
            db.session,
            current_actor(),
            parent.yaml_text,
            parent.id,
            request.form.get("note") or f"Draf dari versi {parent.number}",
        )
        flash(gettext("Draf baru dibuat dari versi %(n)s.", n=parent.number), "success")
        return redirect(url_for(".editor", version_id=draft.id))

    @expose("/validasi", methods=["POST"])
    @has_access
    def validate(self) -> ResponseReturnValue:
        check_csrf()
        body = request.get_json(silent=True) or {}
        text = body.get("yaml_text")
        if not isinstance(text, str):
            return jsonify({"message": "Kirim 'yaml_text' berupa teks."}), 400
        issues = versions.check(db.session, text)
        return jsonify({"valid": not issues, "issues": versions.issues_json(issues)})

    @expose("/<int:version_id>/bobot")
    @has_access
    def weights(self, version_id: int) -> str:
        version = self._version(version_id)
        return self._weights_page(version, {})

    def _weights_page(
        self, version: RuleSetVersion, typed: dict[str, str], error: str | None = None
    ) -> str:
        refused = versions.precheck(version.yaml_text, versions.limits())
        weights: list[yaml_edit.Weight] = []
        if refused is not None:
            error = error or refused.message
        else:
            try:
                weights = yaml_edit.read_weights(version.yaml_text)
            except InvalidInput as exc:  # a draft with a syntax error: fix it in the editor
                error = error or exc.message
        groups: dict[str, list[yaml_edit.Weight]] = {}
        for weight in weights:
            groups.setdefault(weight.group, []).append(weight)
        return self.render_template(
            "kinerja/rules_weights.html",
            version=version,
            groups=groups,
            typed=typed,
            error=error,
            rater_kinds=RATER_KINDS,
            indicator_labels=dict(
                db.session.execute(select(Indicator.code, Indicator.label)).all()
            ),
        )

    @expose("/<int:version_id>/bobot", methods=["POST"])
    @has_access
    def save_weights(self, version_id: int) -> str | BaseResponse:
        check_csrf()
        version = self._version(version_id)
        typed = {k[2:]: v for k, v in request.form.items() if k.startswith("w:")}
        try:
            values = {key: yaml_edit.parse_weight(raw, key) for key, raw in typed.items()}
            text = yaml_edit.with_weights(version.yaml_text, values)
            if text == version.yaml_text:
                raise InvalidInput("Tidak ada bobot yang diubah.")
            changed = ", ".join(
                f"{w.key} {w.shown}→{yaml_edit.format_number(values[w.key])}"
                for w in yaml_edit.read_weights(version.yaml_text)
                if w.key in values and values[w.key] != w.value
            )
            note = request.form.get("note") or f"Ubah bobot: {changed}"
            draft = versions.create_draft(db.session, current_actor(), text, version.id, note)
        except ServiceError as exc:
            return self._weights_page(version, typed, exc.message)
        flash(
            gettext("Draf baru dengan bobot yang diubah dibuat (versi %(n)s).", n=draft.number),
            "success",
        )
        return redirect(url_for(".simulation", version_id=draft.id))

    def _indicator_names(self) -> dict[str, str]:
        return dict(db.session.execute(select(Indicator.code, Indicator.label)).all())

    @expose("/<int:version_id>/bagian/<section>")
    @has_access
    def section(self, version_id: int, section: str) -> str:
        return self._section_page(self._version(version_id), section)

    def _section_page(
        self,
        version: RuleSetVersion,
        section: str,
        error: str | None = None,
        typed: dict[str, str] | None = None,
    ) -> str:
        """One section's form; a text that does not validate is sent to the YAML editor."""
        if section not in rule_sections.SECTIONS:
            raise InvalidInput("Bagian aturan tidak dikenal.")
        names = self._indicator_names()
        model = rule_sections.parse(version.yaml_text)
        groups: list[rule_sections.Group] = []
        builder: dict[str, Any] | None = None
        if model is None:
            error = error or (
                "Aturan ini belum valid; perbaiki lewat penyunting YAML sebelum memakai formulir."
            )
        else:
            groups = rule_sections.groups(version.yaml_text, model, section, names)
            try:
                builder = self._builder(model, section, names)
            except InvalidInput as exc:
                error = error or exc.message
            if builder is not None and request.method == "POST":
                try:  # a refused condition comes back as the officer built it
                    posted = json.loads(request.form.get("condition_json") or "null")
                except ValueError:
                    posted = None
                if isinstance(posted, dict) and (
                    "all" in posted or "any" in posted or "not" in posted
                ):
                    builder["initial"] = posted
        parent = db.session.get(RuleSetVersion, version.parent_id) if version.parent_id else None
        changes = (
            rule_changes.summarise_texts(parent.yaml_text, version.yaml_text, names)
            if parent is not None and version.status == RulesetStatus.DRAFT
            else None
        )
        return self.render_template(
            "kinerja/rules_section.html",
            version=version,
            section=section,
            sections=rule_sections.SECTIONS,
            section_intro=rule_sections.SECTION_INTROS[section],
            groups=groups,
            rule_list=rule_sections.RULE_LISTS.get(section),
            builder=builder,
            groups_words=condition_builder.GROUP_WORDS,
            error=error,
            typed=typed or {},
            changes=changes,
            change_sections=rule_changes.SECTIONS,
            parent=parent,
        )

    def _builder(self, model: Any, section: str, names: dict[str, str]) -> dict[str, Any] | None:
        """The condition builder the page shows, if any: editing one rule's condition
        (`?syarat=<list>:<n>`), adding a level rule of an aspect (`?tambah=levels.<aspect>`),
        or, on the award and training pages, adding a rule."""
        editing, adding = request.args.get("syarat", ""), request.args.get("tambah", "")
        if editing:
            list_path, _, index = editing.rpartition(":")
            if (
                not index.isdigit()
                or rule_sections.rule_lists(model).get(list_path, ("",))[0] != section
            ):
                raise InvalidInput("Aturan itu tidak ada lagi; muat ulang halaman.")
            aspect, rule = rule_sections.rule_at(model, list_path, int(index))
            if not rule_sections.has_condition(rule):
                raise InvalidInput("Aturan ini berlaku tanpa syarat; tidak ada syarat diubah.")
            return {
                "mode": "ubah",
                "list_path": list_path,
                "index": int(index),
                "rule": rule.name,
                "facts": [f.as_json() for f in rule_sections.builder_facts(model, aspect, names)],
                "initial": condition_builder.as_builder_tree(as_tree(rule.when)),
                "sentence": condition_builder.sentence(as_tree(rule.when), names),
            }
        if adding and section == "tingkat":
            aspect = adding.removeprefix("levels.")
            if aspect not in model.levels:
                raise InvalidInput("Aspek itu tidak memiliki aturan tingkat.")
            rules = model.levels[aspect]
            return {
                "mode": "tambah-tingkat",
                "list_path": adding,
                "aspect": aspect,
                "facts": [f.as_json() for f in rule_sections.builder_facts(model, aspect, names)],
                "levels": [(c, label(c)) for c in model.aspects[aspect].scale.levels],
                "positions": [
                    (
                        i,
                        f"sebelum aturan ke-{i + 1} ({label(r.outcome)}: "
                        f"{condition_builder.sentence(as_tree(r.when), names)})",
                    )
                    for i, r in enumerate(rules)
                ]
                + [(len(rules), "di akhir daftar")],
                "position": rule_sections.default_position(rules),
            }
        if adding and section == "tpp":
            found = rule_sections.rule_lists(model).get(adding)
            if found is None or found[0] != "tpp":
                raise InvalidInput("Komponen TPP itu tidak memakai pita.")
            bands = found[2]
            component = adding.rsplit(".", 1)[1].removesuffix("_percent")
            return {
                "mode": "tambah-pita",
                "list_path": adding,
                "component": component,
                "facts": [f.as_json() for f in condition_builder.facts(model, names)],
                "positions": [
                    (i, f"sebelum pita ke-{i + 1} ({b.name}: {format_number(b.outcome)}%)")
                    for i, b in enumerate(bands)
                ]
                + [(len(bands), "di akhir daftar")],
                "position": rule_sections.default_position(bands),
            }
        if section in rule_sections.RULE_LISTS:
            return {
                "mode": "tambah",
                "facts": [f.as_json() for f in condition_builder.facts(model, names)],
            }
        return None

    @expose("/<int:version_id>/bagian/<section>", methods=["POST"])
    @has_access
    def save_section(self, version_id: int, section: str) -> str | BaseResponse:
        """Apply one form action; a draft is changed in place, a published version gets a new
        draft. The engine validates the new text before anything is saved."""
        check_csrf()
        version = self._version(version_id)
        action = request.form.get("action", "simpan")
        names = self._indicator_names()
        typed = {k: v for k, v in request.form.items() if k.startswith("v:")}
        try:
            model = rule_sections.parse(version.yaml_text)
            if model is None:
                raise InvalidInput("Aturan ini belum valid; perbaiki lewat penyunting YAML.")
            text = self._apply(version.yaml_text, model, section, action, names)
            if text == version.yaml_text:
                raise InvalidInput("Tidak ada yang diubah.")
            issues = versions.check(db.session, text)
            if issues:
                raise InvalidInput(f"Perubahan ini membuat aturan tidak valid: {issues[0].message}")
            summary = rule_changes.summarise_texts(version.yaml_text, text, names) or []
            note = "; ".join(change.text for change in summary)[:500] or None
            if version.status == RulesetStatus.DRAFT:
                draft = versions.save_draft(
                    db.session,
                    current_actor(),
                    version.id,
                    text,
                    _int_arg("lock_version") or 0,
                    note,
                )
            else:
                draft = versions.create_draft(db.session, current_actor(), text, version.id, note)
        except ServiceError as exc:
            return self._section_page(self._version(version_id), section, exc.message, typed)
        for change in summary:
            flash(change.text, "success")
        return redirect(url_for(".section", version_id=draft.id, section=section))

    def _apply(
        self, text: str, model: Any, section: str, action: str, names: dict[str, str]
    ) -> str:
        """The text after one form action (see `save_section`)."""
        form = request.form
        if action == "simpan":
            groups = rule_sections.groups(text, model, section, names)
            return rule_forms.with_scalars(text, rule_sections.parse_values(groups, form))
        if action in ("ubah-syarat", "tambah-tingkat", "tambah-pita"):
            tree = self._builder_tree()
            list_path = form.get("list_path", "")
            if action == "tambah-pita":
                position = form.get("position", "")
                return rule_sections.new_band(
                    text,
                    model,
                    list_path,
                    form.get("name", ""),
                    form.get("percent", ""),
                    int(position) if position.isdigit() else 10_000,
                    tree,
                    names,
                )
            if action == "tambah-tingkat":
                position = form.get("position", "")
                return rule_sections.new_level_rule(
                    text,
                    model,
                    list_path.removeprefix("levels."),
                    form.get("level", ""),
                    int(position) if position.isdigit() else 10_000,
                    tree,
                    names,
                )
            if rule_sections.rule_lists(model).get(list_path, ("",))[0] != section:
                raise InvalidInput("Tindakan formulir tidak dikenal.")
            index = form.get("index", "")
            if not index.isdigit():
                raise InvalidInput("Tindakan formulir tidak dikenal.")
            return rule_sections.with_condition(text, model, list_path, int(index), tree, names)
        if action == "tambah" and section in rule_sections.RULE_LISTS:
            return rule_sections.new_rule(
                text,
                model,
                section,
                form.get("name", ""),
                form.get("outcome", ""),
                self._builder_tree(),
                names,
            )
        verb, _, where = action.partition(":")
        list_path, _, index = where.rpartition(":")
        allowed = set(rule_sections.rule_lists(model))
        if list_path not in allowed or not index.isdigit():
            raise InvalidInput("Tindakan formulir tidak dikenal.")
        if verb == "hapus":
            return rule_forms.remove_item(text, list_path, int(index))
        if verb in ("naik", "turun"):
            return rule_forms.move_item(text, list_path, int(index), -1 if verb == "naik" else 1)
        raise InvalidInput("Tindakan formulir tidak dikenal.")

    @staticmethod
    def _builder_tree() -> Any:
        try:
            return json.loads(request.form.get("condition_json") or "null")
        except ValueError:
            raise InvalidInput("Kondisi tidak terbaca; susun ulang syaratnya.") from None

    @expose("/<int:version_id>/kondisi", methods=["POST"])
    @has_access
    def condition_preview(self, version_id: int) -> ResponseReturnValue:
        """The builder's condition checked and written as a sentence and as YAML."""
        check_csrf()
        version = self._version(version_id)
        model = rule_sections.parse(version.yaml_text)
        if model is None:
            return jsonify({"message": "Aturan ini belum valid."}), 400
        names = self._indicator_names()
        known = {f.path: f for f in condition_builder.facts(model, names)}
        try:
            checked = condition_builder.check(request.get_json(silent=True), known)
        except InvalidInput as exc:
            return jsonify({"message": exc.message}), 400
        return jsonify(
            {
                "sentence": condition_builder.sentence(checked, names),
                "yaml": condition_builder.to_yaml(checked),
            }
        )

    @expose("/banding")
    @has_access
    def diff(self) -> str:
        all_versions = list(
            db.session.scalars(
                select(RuleSetVersion).order_by(RuleSetVersion.name, RuleSetVersion.number.desc())
            )
        )
        left_id, right_id = _int_arg("a"), _int_arg("b")
        left = db.session.get(RuleSetVersion, left_id) if left_id else None
        right = db.session.get(RuleSetVersion, right_id) if right_id else None
        rows = versions.diff_rows(left.yaml_text, right.yaml_text) if left and right else []
        changes = (
            rule_changes.summarise_texts(left.yaml_text, right.yaml_text, self._indicator_names())
            if left and right
            else None
        )
        return self.render_template(
            "kinerja/rules_diff.html",
            changes=changes,
            change_sections=rule_changes.SECTIONS,
            versions=all_versions,
            left=left,
            right=right,
            rows=rows,
            spans=versions.changed_spans,
        )

    def _simulation_job(self, version_id: int, rerun: bool = False) -> tuple[Any, Any, Any]:
        """The version, the chosen period and its simulation job (queued now when there is no
        stored answer for the current texts, or when asked to run again)."""
        version = self._version(version_id)
        period_id = _int_arg("period_id")
        choices = _simulation_periods()
        if period_id is None and choices:
            period_id = choices[0].id
        if period_id is None:
            raise InvalidInput(
                "Belum ada periode dalam Peninjauan atau yang sudah Ditutup; simulasi dijalankan "
                "pada penilaian yang sudah lengkap."
            )
        actor = current_actor()
        if rerun:
            job, queued = (
                simulation.request_simulation(db.session, actor, period_id, version_id=version.id),
                True,
            )
        else:
            job, queued = simulation.current_or_request(db.session, actor, period_id, version.id)
        if queued and job.state == JobState.QUEUED:
            submit(current_app.extensions["celery"], job.id)
            db.session.expire_all()
            job = db.session.get(Job, job.id)
        return version, db.session.get(Period, period_id), job

    @expose("/<int:version_id>/simulasi")
    @has_access
    def simulation(self, version_id: int) -> str:
        """The stored answer of this version's simulation on a period, or its progress."""
        try:
            version, period, job = self._simulation_job(version_id)
            error = None
        except ServiceError as exc:
            period_id = _int_arg("period_id")
            period = db.session.get(Period, period_id) if period_id else None
            version, job, error = self._version(version_id), None, exc
        return self._simulation_page(version, period, job, error)

    @expose("/<int:version_id>/simulasi", methods=["POST"])
    @has_access
    def simulation_rerun(self, version_id: int) -> BaseResponse:
        """Run the simulation again (ratings may have changed since the stored answer)."""
        check_csrf()
        try:
            self._simulation_job(version_id, rerun=True)
        except ServiceError as exc:
            flash(exc.message, "danger")
        return redirect(
            url_for(".simulation", version_id=version_id, period_id=_int_arg("period_id"))
        )

    def _simulation_page(self, version: Any, period: Any, job: Any, error: Any) -> str:
        done = job is not None and job.state == JobState.DONE
        report = simulation.stored_simulation(job) if done else None
        if job is not None and job.state == JobState.FAILED and error is None:
            error = InvalidInput(job.error or "Simulasi gagal.")
        charts, answer = {}, None
        if report is not None:  # as the viewer may read it: a Perumus gets aggregates only
            answer = simulation.answer_for(db.session, current_actor(), report)
            for side in ("before", "after"):
                counts = answer[side]
                charts[side] = (
                    distribution_svg(counts, simulation.BUCKETS, BUCKET_LABELS, width=420)
                    if None not in counts.values()
                    else masked_distribution_svg(
                        counts, simulation.BUCKETS, BUCKET_LABELS, MIN_GROUP, width=420
                    )
                )
        progress_url = (
            url_for(".simulation_progress", version_id=version.id, period_id=period.id)
            if period is not None and job is not None
            else ""
        )
        return self.render_template(
            "kinerja/rules_simulation.html",
            version=version,
            period=period,
            report=report,
            answer=answer,
            job=jobs.status(db.session, job) if job is not None else None,
            job_url=progress_url,
            charts=charts,
            periods=_simulation_periods(),
            buckets=simulation.BUCKETS,
            error=error,
            issues=getattr(error, "issues", []),
            shown=CHANGES_SHOWN,
            bucket_label=lambda key: BUCKET_LABELS.get(key, label(key)),
            bucket_of=simulation.bucket,
            can_write=current_actor().is_policy_officer,
            predicates=PREDICATES,
        )

    @expose("/<int:version_id>/simulasi/kemajuan")
    @has_access
    def simulation_progress(self, version_id: int) -> Response:
        period_id = _int_arg("period_id")
        job = simulation.latest_for(db.session, period_id, version_id) if period_id else None
        return jsonify(jobs.status(db.session, job))

    @expose("/<int:version_id>/simulasi.xlsx")
    @has_access
    def simulation_excel(self, version_id: int) -> Response:
        """The stored Excel file of the newest finished simulation (never recomputed)."""
        version = self._version(version_id)
        period_id = _int_arg("period_id")
        job = simulation.latest_finished(db.session, period_id, version.id) if period_id else None
        if job is None or job.file_data is None:
            raise InvalidInput("Belum ada hasil simulasi yang selesai untuk diunduh.")
        filename = f"simulasi-{version.name}-v{version.number}-periode-{period_id}.xlsx"
        answer = simulation.answer_for(
            db.session, current_actor(), simulation.stored_simulation(job)
        )
        book = job.file_data if "changes" in answer else simulation.aggregate_workbook(answer)
        return Response(
            book,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @expose("/<int:version_id>/terbitkan")
    @has_access
    def confirm_publish(self, version_id: int) -> str | BaseResponse:
        """Before publishing: what changes in words, the newest simulation's headline, and
        whether a second officer has approved."""
        version = self._version(version_id)
        if version.status != RulesetStatus.DRAFT:
            return redirect(url_for(".show", version_id=version_id))
        base = versions.base_version(db.session, version)
        names = self._indicator_names()
        changes = (
            rule_changes.summarise_texts(base.yaml_text, version.yaml_text, names)
            if base is not None
            else []
        )
        job = simulation.newest_finished(db.session, version.id)
        actor = current_actor()
        answer = (
            simulation.answer_for(db.session, actor, simulation.stored_simulation(job))
            if job is not None
            else None
        )
        return self.render_template(
            "kinerja/rules_publish.html",
            version=version,
            base=base,
            changes=changes,
            change_sections=rule_changes.SECTIONS,
            answer=answer,
            buckets=simulation.BUCKETS,
            sim_period=db.session.get(Period, job.period_id) if job is not None else None,
            bucket_label=lambda key: BUCKET_LABELS.get(key, label(key)),
            issues=versions.check(db.session, version.yaml_text),
            four_eyes=versions.four_eyes(),
            approver=self._authors_of(version.approved_by_id),
            author=self._authors_of(version.author_id),
            can_approve=version.author_id != actor.user_id,
        )

    def _authors_of(self, user_id: int | None) -> str:
        if not user_id:
            return ""
        user = self.appbuilder.sm.user_model
        return db.session.scalar(select(user.username).where(user.id == user_id)) or ""

    @expose("/<int:version_id>/setujui", methods=["POST"])
    @has_access
    def approve(self, version_id: int) -> BaseResponse:
        check_csrf()
        with refusal_flashed(passes=()):
            version = versions.approve_version(
                db.session, current_actor(), version_id, _int_arg("lock_version")
            )
            flash(
                gettext("Draf versi %(n)s disetujui; kini dapat diterbitkan.", n=version.number),
                "success",
            )
        return redirect(url_for(".confirm_publish", version_id=version_id))

    @expose("/<int:version_id>/terbitkan", methods=["POST"])
    @has_access
    def publish(self, version_id: int) -> BaseResponse:
        check_csrf()
        with refusal_flashed(passes=()):
            version = versions.publish_version(
                db.session,
                current_actor(),
                version_id,
                request.form.get("note"),
                _int_arg("lock_version"),
            )
            flash(
                gettext(
                    "Versi %(n)s diterbitkan. Periode yang berjalan tetap memakai versinya "
                    "sampai Kepegawaian memasang versi ini.",
                    n=version.number,
                ),
                "success",
            )
        return redirect(url_for(".show", version_id=version_id))

    @expose("/<int:version_id>/kembalikan", methods=["POST"])
    @has_access
    def roll_back(self, version_id: int) -> BaseResponse:
        check_csrf()
        with refusal_flashed(passes=()) as outcome:
            version = versions.roll_back(
                db.session, current_actor(), version_id, request.form.get("note")
            )
        if outcome.refusal:
            return redirect(url_for(".show", version_id=version_id))
        flash(
            gettext("Isi versi lama diterbitkan kembali sebagai versi %(n)s.", n=version.number),
            "success",
        )
        return redirect(url_for(".show", version_id=version.id))


class PeriodRulesetView(BaseView):
    """Kepegawaian's page to pin a period to another published version (resource Period)."""

    route_base = "/aturan-periode"
    class_permission_name = "Period"
    method_permission_name = REPIN_METHODS
    default_view = "repin_form"

    @expose("/")
    @has_access
    def repin_form(self) -> str:
        return self.render_template(
            "kinerja/rules_repin.html",
            periods=_periods(),
            stored=dict(
                db.session.execute(
                    select(Evaluation.period_id, func.count()).group_by(Evaluation.period_id)
                ).all()
            ),
            versions=versions.published_versions(db.session),
            chosen_version=_int_arg("version_id"),
            chosen_period=_int_arg("period_id"),
        )

    @expose("/", methods=["POST"])
    @has_access
    def repin(self) -> BaseResponse:
        check_csrf()
        period_id, version_id = _int_arg("period_id"), _int_arg("version_id")
        try:
            if period_id is None or version_id is None:
                raise InvalidInput("Pilih periode dan versi aturan.")
            job = versions.request_repin(
                db.session, current_actor(), period_id, version_id, request.form.get("reason", "")
            )
            submit(current_app.extensions["celery"], job.id)
            db.session.expire_all()
            job = db.session.get(Job, job.id)
            if job.state != JobState.DONE:
                flash(
                    gettext(
                        "Versi aturan dipasang; hasil periode dievaluasi ulang di latar. "
                        "Kemajuannya tampil di halaman periode."
                    ),
                    "info",
                )
                return redirect(url_for("PeriodLifecycleView.show", period_id=period_id))
            result = job.result or {}
            flash(
                gettext(
                    "Periode kini memakai %(v)s; %(n)s hasil dievaluasi ulang, %(c)s predikat "
                    "berubah.",
                    v=result["ruleset_version"],
                    n=result["evaluated"],
                    c=result["predicate_changed"],
                ),
                "success",
            )
        except jobs.JobRunning as exc:
            flash(exc.message, "warning")
        except ServiceError as exc:
            flash(exc.message, "danger")
        return redirect(url_for(".repin_form", period_id=period_id, version_id=version_id))


def register(appbuilder: AppBuilder) -> None:
    """The ruleset pages (menu "RuleSets" under Kebijakan), the re-pin page and the API."""
    from app.web.api.rulesets import RuleSetApi

    appbuilder.add_view(
        RuleSetView,
        "RuleSets",
        label=_("Aturan Penilaian"),
        icon="fa-book",
        category="Kebijakan",
        category_label=_("Kebijakan"),
    )
    appbuilder.add_view_no_menu(PeriodRulesetView)
    appbuilder.add_api(RuleSetApi)

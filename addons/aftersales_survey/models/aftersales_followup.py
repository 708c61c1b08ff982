import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .aftersales_followup_kpi import CSAT_DIMENSIONS, month_start
from .aftersales_followup_step import CHANNELS

_logger = logging.getLogger(__name__)

STATES = [
    ("scheduled", "Scheduled"),
    ("pending", "Invited"),
    ("answered", "Answered"),
    ("expired", "Expired"),
    ("skipped", "Skipped"),
]
SKIP_REASONS = [
    ("opt_out", "Customer opted out"),
    ("fatigue", "Customer asked recently"),
    ("no_contact", "No customer to ask"),
    ("refused", "Customer refused"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("refused", "Refused"),
    ("wrong_number", "Wrong number"),
]
# Fields a service agent or manager may change; everything else is a fact
# the system records (dates, states, scores, links).
USER_WRITABLE_FIELDS = {"user_id"}


class AftersalesFollowup(models.Model):
    _name = "aftersales.followup"
    _description = "After-sales Follow-up 回访"
    _order = "date_scheduled desc, id desc"
    _rec_name = "display_name"

    # What and for whom
    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    step_id = fields.Many2one("aftersales.followup.step", required=True, ondelete="restrict", readonly=True)
    survey_id = fields.Many2one("survey.survey", required=True, readonly=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    team_id = fields.Many2one("aftersales.team", string="Service Team", index=True, readonly=True)
    technician_id = fields.Many2one("aftersales.technician", string="Technician", index=True, readonly=True)
    product_id = fields.Many2one("product.product", string="Product", index=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        index=True,
        domain="[('share', '=', False)]",
        help="The service agent who makes the phone follow-up.",
    )

    # Schedule
    state = fields.Selection(STATES, required=True, default="scheduled", index=True, readonly=True)
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    date_closed = fields.Datetime(string="Ticket Closed", readonly=True)
    date_scheduled = fields.Datetime(string="Due", required=True, index=True, readonly=True)
    date_sent = fields.Datetime(string="Invited", readonly=True)
    date_expire = fields.Datetime(string="Expires", readonly=True)
    date_answered = fields.Datetime(string="Answered", readonly=True)
    user_input_ids = fields.One2many("survey.user_input", "aftersales_followup_id", string="Survey Answers")
    user_input_id = fields.Many2one("survey.user_input", compute="_compute_user_input_id", string="Survey Answer")
    survey_url = fields.Char(compute="_compute_survey_url", string="Survey Link")

    # Phone
    call_ids = fields.One2many("aftersales.followup.call", "followup_id", string="Calls")
    no_answer_count = fields.Integer(string="Unanswered Calls", readonly=True)
    last_call_outcome = fields.Selection(CALL_OUTCOMES, readonly=True)

    # Scores taken from the survey answers
    csat_quality = fields.Integer(string="CSAT Quality", readonly=True, aggregator="avg")
    csat_attitude = fields.Integer(string="CSAT Attitude", readonly=True, aggregator="avg")
    csat_speed = fields.Integer(string="CSAT Speed", readonly=True, aggregator="avg")
    csat_score = fields.Float(
        string="CSAT", readonly=True, aggregator="avg", help="Average of the answered dimensions (1-5)."
    )
    nps_answered = fields.Boolean(string="NPS Answered", readonly=True)
    nps_score = fields.Integer(string="Likely to Recommend", readonly=True, help="0-10")
    nps_value = fields.Integer(
        string="NPS Value",
        readonly=True,
        aggregator="avg",
        help="100 for a promoter (9-10), 0 for a passive, -100 for a detractor (0-6).",
    )
    problem_solved = fields.Selection([("yes", "Solved"), ("no", "Not solved")], readonly=True)
    answer_comment = fields.Text(string="Comment", readonly=True)
    followthrough_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Follow-through Ticket", readonly=True, index="btree_not_null"
    )

    _ticket_step_uniq = models.Constraint("UNIQUE (ticket_id, step_id)", "A ticket is followed up only once per step.")
    _due_idx = models.Index("(date_scheduled) WHERE state = 'scheduled'")
    _partner_sent_idx = models.Index("(partner_id, date_sent) WHERE date_sent IS NOT NULL")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("user_input_ids")
    def _compute_user_input_id(self):
        for followup in self:
            followup.user_input_id = followup.user_input_ids[:1]

    @api.depends("user_input_ids")
    def _compute_survey_url(self):
        for followup in self:
            answer = followup.sudo().user_input_ids[:1]
            followup.survey_url = f"{followup.get_base_url()}{answer.get_start_url()}" if answer else False

    @api.depends("ticket_id", "step_id")
    def _compute_display_name(self):
        for followup in self:
            followup.display_name = f"{followup.ticket_id.sudo().display_name} - {followup.step_id.sudo().name}"

    @api.model
    def _scores_by(self, fname, ids):
        """{id: (average CSAT, NPS)} of the answered follow-ups grouped by ``fname``."""
        if not ids:
            return {}
        base = Domain(fname, "in", ids) & Domain("state", "=", "answered")
        Followup = self.sudo()
        csat = {
            record.id: avg
            for record, avg in Followup._read_group(base & Domain("csat_score", ">", 0), [fname], ["csat_score:avg"])
        }
        nps = {
            record.id: avg
            for record, avg in Followup._read_group(
                base & Domain("nps_answered", "=", True), [fname], ["nps_value:avg"]
            )
        }
        return {key: (csat.get(key, 0.0), nps.get(key, 0.0)) for key in set(csat) | set(nps)}

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        if any(vals.get("date_sent") for vals in vals_list):
            self.env["aftersales.followup.kpi"]._kpi_add([], followups._kpi_rows())
        return followups

    def write(self, vals):
        if not self.env.su and set(vals) - USER_WRITABLE_FIELDS:
            raise AccessError(
                self.env._(
                    "Follow-ups are recorded by the system: only the agent can be changed (not %(fields)s).",
                    fields=", ".join(sorted(set(vals) - USER_WRITABLE_FIELDS)),
                )
            )
        if not set(vals) & self._kpi_fields():
            return super().write(vals)
        # the KPI totals take the difference this write makes
        coverage = vals.get("state") == "answered" or any(f.state == "answered" for f in self.sudo())
        tickets = self.sudo().ticket_id if coverage else self.env["aftersales.ticket"]
        before = self._kpi_rows() + tickets._kpi_rows()
        res = super().write(vals)
        self.env["aftersales.followup.kpi"]._kpi_add(before, self._kpi_rows() + tickets._kpi_rows())
        return res

    def unlink(self):
        tickets = self.sudo().ticket_id
        before = self._kpi_rows() + tickets._kpi_rows()
        res = super().unlink()
        self.env["aftersales.followup.kpi"]._kpi_add(before, tickets.exists()._kpi_rows())
        return res

    # ------------------------------------------------------------------
    # KPI totals
    # ------------------------------------------------------------------

    @api.model
    def _kpi_fields(self):
        """Fields whose change moves a follow-up's contribution to the KPI totals."""
        return {
            "state", "date_sent", "csat_quality", "csat_attitude", "csat_speed", "csat_score", "nps_answered",
            "nps_value", "company_id", "team_id", "technician_id", "step_id", "ticket_id",
        }  # fmt: skip

    def _kpi_key(self):
        self.ensure_one()
        return {
            "kind": "invitation",
            "date": month_start(self.date_sent),
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "technician_id": self.technician_id.id,
            "step_id": self.step_id.id,
        }

    def _kpi_rows(self):
        """What the sent invitations among these follow-ups add to the KPI totals."""
        rows = []
        for followup in self.sudo():
            if not followup.date_sent or followup.state == "skipped":
                continue
            measures = {"invitation_count": 1, "answer_count": int(followup.state == "answered")}
            for dimension in CSAT_DIMENSIONS:
                if followup[dimension]:
                    measures[f"{dimension}_sum"] = followup[dimension]
                    measures[f"{dimension}_count"] = 1
            if followup.csat_score:
                measures.update(csat_sum=followup.csat_score, csat_count=1)
            if followup.nps_answered:
                kind = "promoter" if followup.nps_value > 0 else ("detractor" if followup.nps_value < 0 else "passive")
                measures.update({"nps_count": 1, f"{kind}_count": 1})
            rows.append((followup._kpi_key(), measures))
        return rows

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------

    @api.model
    def _schedule_for_tickets(self, tickets):
        """Plan the steps of each closed ticket's follow-up plan, once per step."""
        tickets = tickets.sudo().filtered(lambda t: t.date_closed and not t.is_cancelled)
        if not tickets:
            return self.browse()
        existing = {
            (followup.ticket_id.id, followup.step_id.id)
            for followup in self.sudo().search_fetch([("ticket_id", "in", tickets.ids)], ["ticket_id", "step_id"])
        }
        Plan = self.env["aftersales.followup.plan"].sudo()
        plans = {}
        vals_list = []
        for ticket in tickets:
            key = (ticket.team_id.id, ticket.company_id.id)
            if key not in plans:
                plans[key] = Plan._plan_for(ticket)
            plan = plans[key]
            agent = ticket.team_id.member_ids[:1] or ticket.team_id.manager_id
            for step in plan.step_ids:
                if (ticket.id, step.id) in existing or not step._applies_to(ticket):
                    continue
                vals_list.append(self._prepare_followup_vals(ticket, step, agent))
        return self.sudo().create(vals_list)

    @api.model
    def _prepare_followup_vals(self, ticket, step, agent):
        """Values of the follow-up of ``ticket`` at ``step``: the ticket's facts at closure."""
        return {
            "ticket_id": ticket.id,
            "step_id": step.id,
            "survey_id": step.survey_id.id,
            "channel": step.channel,
            "company_id": ticket.company_id.id,
            "partner_id": ticket.partner_id.id,
            "team_id": ticket.team_id.id,
            "technician_id": ticket.technician_id.id,
            "product_id": ticket.product_id.id,
            "user_id": agent.id if step.channel == "phone" else False,
            "date_closed": ticket.date_closed,
            "date_scheduled": ticket.date_closed + timedelta(hours=step.offset_hours),
        }

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_followups(self, batch_size=500, commit=None):
        """Send the due follow-ups in batches. Each batch claims its rows with
        FOR UPDATE SKIP LOCKED, so several workers never send one twice, and is
        committed when run by the scheduler (or with commit=True)."""
        if commit is None:
            commit = bool(self.env.context.get("ir_cron_progress_id"))
        while True:
            expired = self._expire_followups(fields.Datetime.now(), batch_size)
            if commit and expired:
                self.env["ir.cron"]._commit_progress(expired)
            if expired < batch_size:
                break
        while True:
            processed = self._send_batch(fields.Datetime.now(), batch_size)
            if not processed:
                break
            if commit and self.env["ir.cron"]._commit_progress(processed) <= 0:
                break
        # merge the KPI rows written since the last run, one per key
        self.env["aftersales.followup.kpi"].sudo()._kpi_compact()

    @api.model
    def _expire_followups(self, now, limit):
        """Mark up to ``limit`` invitations past their deadline as expired. Returns how many."""
        expired = self.sudo().search([("state", "=", "pending"), ("date_expire", "<=", now)], limit=limit)
        if expired:
            expired.write({"state": "expired"})
        return len(expired)

    @api.model
    def _send_batch(self, now, limit):
        """Claim up to ``limit`` due follow-ups and send them. Returns the number claimed."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM aftersales_followup WHERE state = 'scheduled' AND date_scheduled <= %s "
                        "ORDER BY date_scheduled, id LIMIT %s FOR UPDATE SKIP LOCKED",
                        now,
                        limit,
                    ),
                    log_exceptions=False,
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
                followups = self.sudo().browse(ids)
                partner_ids = sorted(set(followups.partner_id.ids))
                locked = set()
                if partner_ids:
                    # One worker at a time per customer: the fatigue rule holds across workers.
                    self.env.cr.execute(
                        SQL(
                            "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                            partner_ids,
                        ),
                        log_exceptions=False,
                    )
                    locked = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            # Another worker sent these after our snapshot: stop, the next run starts afresh.
            _logger.info("Follow-ups: due follow-ups taken by another worker, stopping this run")
            return 0
        if not ids:
            return 0
        # Customers another worker is inviting right now wait for the next run.
        followups = followups.filtered(lambda f: not f.partner_id or f.partner_id.id in locked)
        followups._send(now)
        return len(followups)

    def _send(self, now):
        """Invite the customers: one survey answer (token) per follow-up, the
        email for the email channel, the agent's call list for the phone
        channel. Opted-out customers and customers asked about another ticket
        within the fatigue window are skipped; among the due follow-ups of one
        customer the most recently closed ticket wins."""
        skipped = {reason: self.browse() for reason, _label in SKIP_REASONS}
        # Due so long ago (the job did not run) that the invitation would already be expired.
        too_late = self.filtered(lambda f: f.date_scheduled + timedelta(days=f.step_id.validity_days) <= now)
        if too_late:
            too_late.write({"state": "expired"})
        no_partner = (self - too_late).filtered(lambda f: not f.partner_id)
        skipped["no_contact"] |= no_partner
        candidates = self - too_late - no_partner
        opted_out = candidates.filtered(lambda f: f.partner_id.commercial_partner_id.aftersales_survey_opt_out)
        skipped["opt_out"] |= opted_out
        candidates -= opted_out
        # Recent invitations per customer, with the ticket they were about.
        recent = {}
        if candidates:
            windows = {company: company.aftersales_survey_fatigue_days for company in candidates.company_id}
            oldest = now - timedelta(days=max(windows.values()) or 0)
            for partner, ticket, last in self._read_group(
                [("partner_id", "in", candidates.partner_id.ids), ("date_sent", ">=", oldest)],
                ["partner_id", "ticket_id"],
                ["date_sent:max"],
            ):
                recent.setdefault(partner.id, []).append((ticket.id, last))
        to_send = self.browse()
        chosen = {}  # customer -> the ticket asked about in this batch
        for followup in candidates.sorted(lambda f: (f.date_closed or now, f.id), reverse=True):
            partner_id, ticket_id = followup.partner_id.id, followup.ticket_id.id
            days = followup.company_id.aftersales_survey_fatigue_days
            if days <= 0:  # no fatigue rule
                to_send |= followup
                continue
            window_start = now - timedelta(days=days)
            asked_other = any(other != ticket_id and last >= window_start for other, last in recent.get(partner_id, []))
            if asked_other or chosen.setdefault(partner_id, ticket_id) != ticket_id:
                skipped["fatigue"] |= followup
                continue
            to_send |= followup
        for reason, records in skipped.items():
            if records:
                records.write({"state": "skipped", "skip_reason": reason})
        if not to_send:
            return
        # No followers nor creation log on these answers: the follow-up is the record people follow.
        self.env["survey.user_input"].sudo().with_context(tracking_disable=True).create(
            [
                {
                    "survey_id": followup.survey_id.id,
                    "partner_id": followup.partner_id.id,
                    "email": followup.partner_id.email,
                    "nickname": followup.partner_id.name,
                    "deadline": now + timedelta(days=followup.step_id.validity_days),
                    "aftersales_followup_id": followup.id,
                }
                for followup in to_send
            ]
        )
        by_validity = {}
        for followup in to_send:
            by_validity.setdefault(followup.step_id.validity_days, self.browse())
            by_validity[followup.step_id.validity_days] |= followup
        for days, records in by_validity.items():
            records.write({"state": "pending", "date_sent": now, "date_expire": now + timedelta(days=days)})
        to_send.partner_id.write({"aftersales_survey_last_date": now})
        to_send.filtered(lambda f: f.channel == "email")._send_invitation_email()

    def _send_invitation_email(self):
        if not self:
            return
        template = self.env.ref("aftersales_survey.mail_template_followup_invitation")
        template.sudo().send_mail_batch(self.ids, email_layout_xmlid="mail.mail_notification_light")

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    def _record_answers(self):
        """Read the scores of the completed survey answers into the follow-ups
        and follow low scores through."""
        now = fields.Datetime.now()
        followups = self.sudo()
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search_fetch(
                [("user_input_id", "in", followups.user_input_ids.ids), ("skipped", "=", False)],
                [
                    "user_input_id",
                    "question_id",
                    "answer_type",
                    "value_scale",
                    "value_text_box",
                    "value_char_box",
                    "suggested_answer_id",
                ],
            )
        )
        by_input = {}
        for line in lines:
            by_input.setdefault(line.user_input_id.id, []).append(line)
        for followup in followups:
            vals = {"state": "answered", "date_answered": now}
            comments = []
            for line in by_input.get(followup.user_input_id.id, []):
                metric = line.question_id.aftersales_metric
                if metric in ("csat_quality", "csat_attitude", "csat_speed"):
                    vals[metric] = line.value_scale
                elif metric == "nps":
                    vals.update(nps_answered=True, nps_score=line.value_scale)
                    vals["nps_value"] = 100 if line.value_scale >= 9 else (-100 if line.value_scale <= 6 else 0)
                elif metric == "resolution" and line.suggested_answer_id:
                    vals["problem_solved"] = "no" if line.suggested_answer_id.aftersales_negative else "yes"
                elif metric == "comment" and (line.value_text_box or line.value_char_box):
                    comments.append(line.value_text_box or line.value_char_box)
            dims = [vals[m] for m in ("csat_quality", "csat_attitude", "csat_speed") if vals.get(m)]
            vals["csat_score"] = sum(dims) / len(dims) if dims else 0.0
            if comments:
                vals["answer_comment"] = "\n".join(comments)
            followup.write(vals)
        followups._follow_through()

    def _needs_followthrough(self):
        self.ensure_one()
        low_csat = any(0 < score <= 2 for score in (self.csat_quality, self.csat_attitude, self.csat_speed))
        return low_csat or (self.nps_answered and self.nps_score <= 6) or self.problem_solved == "no"

    def _follow_through(self):
        """A low score, a detractor or an unsolved problem opens a linked
        complaint or rework ticket for the team manager, with an activity, and
        the customer is told that someone will call."""
        for followup in self.with_user(SUPERUSER_ID).sudo():
            if followup.followthrough_ticket_id or not followup._needs_followthrough():
                continue
            ticket = followup.ticket_id
            plan = followup.step_id.plan_id
            kind = plan.unsolved_ticket if followup.problem_solved == "no" else plan.low_score_ticket
            reasons = followup._low_score_summary()
            vals = {
                "partner_id": ticket.partner_id.id,
                "product_id": ticket.product_id.id,
                "lot_id": ticket.lot_id.id,
                "team_id": ticket.team_id.id,
                "company_id": ticket.company_id.id,
                "description": Markup("<p>%s</p>") % reasons,
            }
            if kind == "complaint":
                vals.update(
                    name=self.env._("Complaint after follow-up: %(name)s", name=ticket.name), category="complaint"
                )
            else:
                vals.update(
                    name=self.env._("Rework after follow-up: %(name)s", name=ticket.name),
                    category=ticket.category if ticket.category != "complaint" else "regular_repair",
                    rework_of_id=ticket.id,
                    technician_id=ticket.technician_id.id,
                )
            new_ticket = self.env["aftersales.ticket"].sudo()._create_facts([vals])  # rework_of_id is a fact
            followup.followthrough_ticket_id = new_ticket
            manager = ticket.team_id.manager_id
            if manager and kind != "complaint":  # complaints already give the manager a to-do
                new_ticket.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._("Call the customer back about the follow-up"),
                    note=reasons,
                )
            ticket.message_post(
                body=self.env._(
                    "Follow-up %(step)s: %(reasons)s. Ticket %(ticket)s was opened.",
                    step=followup.step_id.name,
                    reasons=reasons,
                    ticket=new_ticket.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if ticket.partner_id:
                new_ticket.message_post(
                    body=self.env._(
                        "Thank you for your answers. We are sorry the service did not meet your expectations: "
                        "a service manager will call you shortly."
                    ),
                    partner_ids=ticket.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )

    def _low_score_summary(self):
        self.ensure_one()
        parts = []
        labels = {
            "csat_quality": self.env._("quality"),
            "csat_attitude": self.env._("attitude"),
            "csat_speed": self.env._("speed"),
        }
        for fname, label in labels.items():
            if 0 < self[fname] <= 2:
                parts.append(self.env._("%(dimension)s rated %(score)s/5", dimension=label, score=self[fname]))
        if self.nps_answered and self.nps_score <= 6:
            parts.append(self.env._("likely to recommend %(score)s/10", score=self.nps_score))
        if self.problem_solved == "no":
            parts.append(self.env._("problem not solved"))
        return "; ".join(parts)

    # ------------------------------------------------------------------
    # Phone follow-up
    # ------------------------------------------------------------------

    def _register_call(self, outcome, note=False):
        """Log a call; after the step's number of unanswered calls (or a wrong
        number) the survey link is emailed instead."""
        self.ensure_one()
        followup = self.sudo()
        followup.env["aftersales.followup.call"].create(
            {"followup_id": followup.id, "outcome": outcome, "note": note, "user_id": self.env.uid}
        )
        vals = {"last_call_outcome": outcome}
        if outcome == "no_answer":
            vals["no_answer_count"] = followup.no_answer_count + 1
        followup.write(vals)
        if outcome == "refused":
            followup.write({"state": "skipped", "skip_reason": "refused"})
        elif (outcome == "no_answer" and followup.no_answer_count >= followup.step_id.max_call_attempts) or (
            outcome == "wrong_number"
        ):
            followup.write({"channel": "email"})
            if followup.partner_id.email:
                followup._send_invitation_email()
            followup.ticket_id.message_post(
                body=self.env._(
                    "Follow-up %(step)s: the customer could not be reached by phone; the survey link was emailed.",
                    step=followup.step_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_call_wizard(self):
        self.ensure_one()
        if self.state != "pending" or self.channel != "phone":
            raise UserError(self.env._("Only invited phone follow-ups can be called."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.followup.call.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_followup_id": self.id},
            "name": self.env._("Phone Follow-up"),
        }

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }

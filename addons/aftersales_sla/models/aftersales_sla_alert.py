from collections import Counter, defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

ALERT_LEVELS = [
    ("1", "At risk: technician warned"),
    ("2", "Breached: team manager"),
    ("3", "Escalated: next level"),
]

# Worst tickets listed in a digest.
DIGEST_WORST = 10


class AftersalesSlaAlert(models.Model):
    """One SLA warning or escalation raised by the monitoring job.

    The job records alerts as it walks the due tickets, then hands them out
    once per run: each as an activity on its ticket, or, when a person gets
    more than the company's digest threshold in one run (a Monday morning
    storm), one digest activity instead of hundreds."""

    _name = "aftersales.sla.alert"
    _description = "SLA Alert"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, index=True, ondelete="cascade", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Alerted", readonly=True)
    phase = fields.Selection([("response", "First response"), ("resolution", "Resolution")], readonly=True)
    level = fields.Selection(ALERT_LEVELS, required=True, readonly=True)
    deadline = fields.Datetime(readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    delivery = fields.Selection(
        [("pending", "Pending"), ("activity", "Activity"), ("digest", "Digest"), ("nobody", "Nobody to alert")],
        required=True,
        default="pending",
        readonly=True,
    )

    _pending_idx = models.Index("(id) WHERE delivery = 'pending'")

    @api.model
    def _dispatch_pending(self, now):
        """Hand out the pending alerts: one activity per alert, or one digest
        per person above the threshold. Alerts are claimed with
        try_lock_for_update() (rows another worker holds are skipped), so two
        workers never hand out the same one."""
        alerts = self.search([("delivery", "=", "pending")], order="id").try_lock_for_update()
        if not alerts:
            return alerts
        by_user = defaultdict(list)
        for alert in alerts:
            by_user[alert.user_id].append(alert.id)
        nobody = self.browse(by_user.pop(self.env["res.users"], []))
        individual, digests = [], []
        for user_alerts in map(self.browse, by_user.values()):
            threshold = user_alerts[0].company_id.aftersales_sla_digest_threshold
            if threshold and len(user_alerts) > threshold:
                digests.append(user_alerts)
            else:
                individual += user_alerts.ids
        individual = self.browse(individual)
        activity_type = self.env.ref("aftersales_sla.mail_activity_type_sla_alert")
        vals_list = [alert._activity_vals(activity_type, now) for alert in individual]
        digest_type = self.env.ref("aftersales_sla.mail_activity_type_sla_digest")
        vals_list += [user_alerts._digest_vals(digest_type, now) for user_alerts in digests]
        if vals_list:
            # No notification e-mail per activity: assignees see them in their
            # activities (and a digest is one line, however large the storm).
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        individual.write({"delivery": "activity"})
        self.browse([alert_id for user_alerts in digests for alert_id in user_alerts.ids]).write({"delivery": "digest"})
        nobody.write({"delivery": "nobody"})
        return alerts

    def _summary(self):
        """The alert's line, in the language and time zone of whoever reads it."""
        self.ensure_one()
        env = self.env
        phase = env._("first response") if self.phase == "response" else env._("resolution")
        deadline = format_datetime(env, self.deadline, tz=self.user_id.tz or "UTC") if self.deadline else "-"
        if self.level == "1":
            return env._("SLA at risk: %(phase)s due %(deadline)s", phase=phase, deadline=deadline)
        if self.level == "2":
            return env._("SLA breached: %(phase)s was due %(deadline)s", phase=phase, deadline=deadline)
        return env._("SLA escalation: %(phase)s overdue since %(deadline)s", phase=phase, deadline=deadline)

    def _activity_vals(self, activity_type, now):
        self.ensure_one()
        alert = self.with_context(lang=self.user_id.lang or self.env.context.get("lang"))
        state = alert.env._("At risk") if self.level == "1" else alert.env._("Breached")
        return {
            "res_model_id": self.env["ir.model"]._get_id("aftersales.ticket"),
            "res_id": self.ticket_id.id,
            "activity_type_id": activity_type.id,
            "user_id": self.user_id.id,
            "summary": alert._summary(),
            "note": alert.env._("%(ticket)s: %(state)s", ticket=self.ticket_id.display_name, state=state),
            "date_deadline": fields.Date.to_date(now),
        }

    def _digest_vals(self, activity_type, now):
        """One activity for all the alerts of one person: counts by level and
        team, the worst tickets (longest overdue first) and a link to the list."""
        user = self.user_id
        alerts = self.with_context(lang=user.lang or self.env.context.get("lang"))
        env = alerts.env
        levels = Counter(alerts.mapped("level"))
        teams = Counter(alert.team_id.id for alert in alerts if alert.team_id)
        team = alerts.team_id.browse(max(teams, key=teams.get)) if teams else alerts.team_id
        labels = dict(self._fields["level"]._description_selection(env))
        worst = alerts.sorted(lambda a: (a.deadline or now, a.id))[:DIGEST_WORST]
        tz = user.tz or "UTC"
        rows = Markup("").join(
            Markup('<li><a href="/odoo/aftersales.ticket/%s">%s</a> — %s (%s)</li>')
            % (
                alert.ticket_id.id,
                alert.ticket_id.display_name,
                labels[alert.level],
                format_datetime(env, alert.deadline, tz=tz) if alert.deadline else "-",
            )
            for alert in worst
        )
        team_names = dict(alerts.team_id.mapped(lambda t: (t.id, t.display_name)))
        counts = Markup("").join(
            Markup("<li>%s: %s</li>") % (labels[level], levels[level]) for level in sorted(levels)
        ) + Markup("").join(
            Markup("<li>%s: %s</li>") % (team_names[team_id], count) for team_id, count in teams.most_common()
        )
        note = Markup("<p>%s</p><ul>%s</ul><p>%s</p><ul>%s</ul><p><a href='%s'>%s</a></p>") % (
            env._("%(count)s SLA alerts in this run.", count=len(alerts)),
            counts,
            env._("Worst tickets:"),
            rows,
            "/odoo/action-aftersales_sla.aftersales_sla_alert_action",
            env._("Open the list of my SLA alerts"),
        )
        record = team or alerts[0].ticket_id
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "summary": env._("SLA digest: %(count)s tickets need attention", count=len(alerts)),
            "note": note,
            "date_deadline": fields.Date.to_date(now),
        }

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.ticket_id.id,
        }

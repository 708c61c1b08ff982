from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..write_rules import FACT

# Selections of this many records or more run as a background job.
JOB_THRESHOLD = 50
JOB_BATCH_SIZE = 50


class AftersalesJob(models.Model):
    """A long action a user started from a screen (invoice a month of
    repairs, recompute deadlines, rebuild figures), run by the cron
    ``ir_cron_aftersales_job`` in batches as that user, each batch committed
    with its progress; the user is notified when it is done. Every field is a
    fact: users read their own jobs, nobody writes them."""

    _name = "aftersales.job"
    _inherit = ["mail.thread", "aftersales.write.rules.mixin"]
    _description = "After-sales Background Job"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Started By", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    state = fields.Selection(
        [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        required=True,
        default="queued",
        readonly=True,
        tracking=True,
    )
    res_model = fields.Char(string="Model", required=True, readonly=True)
    method = fields.Char(required=True, readonly=True)
    todo_ids = fields.Json(string="Records Left", readonly=True)
    total = fields.Integer(readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    result_model = fields.Char(readonly=True)
    result_ids = fields.Json(string="Results", readonly=True)
    result_count = fields.Integer(compute="_compute_result_count", string="Results Made")
    error = fields.Text(readonly=True)
    date_done = fields.Datetime(string="Ended On", readonly=True)

    @api.depends("total", "done_count")
    def _compute_progress(self):
        for job in self:
            job.progress = 100.0 * job.done_count / job.total if job.total else 0.0

    @api.depends("result_ids")
    def _compute_result_count(self):
        for job in self:
            job.result_count = len(job.result_ids or [])

    @api.model
    def _field_write_rules(self):
        return dict.fromkeys(
            (
                "name", "user_id", "company_id", "state", "res_model", "method", "todo_ids", "total",
                "done_count", "result_model", "result_ids", "error", "date_done",
            ),
            FACT,
        )  # fmt: skip

    @api.model
    def _enqueue(self, name, records, method, result_model=False):
        """Queue ``records.method()`` for the current user, in batches; the
        method returns the records it made (of ``result_model``). Returns the
        window action that shows the job's progress."""
        job = self._create_facts(
            [
                {
                    "name": name,
                    "user_id": self.env.uid,
                    "company_id": self.env.company.id,
                    "res_model": records._name,
                    "method": method,
                    "todo_ids": records.ids,
                    "total": len(records),
                    "result_model": result_model,
                    "result_ids": [],
                }
            ]
        )
        self.env.ref("aftersales_ticket.ir_cron_aftersales_job")._trigger()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "res_id": job.id,
            "views": [[False, "form"]],
            "target": "new",
        }

    def _run_batch(self, batch_size=None):
        """Run the next batch of this job as the user who started it. A
        refusal or an error marks the job failed with the message, and what
        earlier batches made stays. Returns the number of records processed."""
        self.ensure_one()
        batch_size = batch_size or JOB_BATCH_SIZE
        todo = list(self.todo_ids or [])
        batch, rest = todo[:batch_size], todo[batch_size:]
        records = self.env[self.res_model].with_user(self.user_id).with_company(self.company_id).browse(batch)
        try:
            with self.env.cr.savepoint():
                made = getattr(records.exists(), self.method)()
        except (UserError, AccessError) as error:
            self._write_facts({"state": "failed", "error": str(error), "date_done": fields.Datetime.now()})
            self._notify_done()
            return 0
        self._write_facts(
            {
                "state": "running" if rest else "done",
                "todo_ids": rest,
                "done_count": self.done_count + len(batch),
                "result_ids": (self.result_ids or []) + (made.ids if made else []),
                "date_done": False if rest else fields.Datetime.now(),
            }
        )
        if not rest:
            self._notify_done()
        return len(batch)

    def _notify_done(self):
        """A message to the user's inbox on the job, and a notification on
        their open screens."""
        if self.state == "done":
            body = self.env._(
                "%(job)s is done: %(done)s of %(total)s records processed, %(made)s made.",
                job=self.name,
                done=self.done_count,
                total=self.total,
                made=self.result_count,
            )
        else:
            body = self.env._("%(job)s stopped: %(error)s", job=self.name, error=self.error)
        self.sudo().message_post(
            body=body,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="notification",
        )
        self.env["bus.bus"]._sendone(
            self.user_id.partner_id,
            "simple_notification",
            {"type": "success" if self.state == "done" else "danger", "message": body, "sticky": False},
        )

    @api.model
    def _cron_run_jobs(self):
        """The queued jobs, oldest first, a batch at a time, each batch
        committed with the cron's progress; stops when the cron's time is up
        (it is triggered again while work is left)."""
        cron = self.env["ir.cron"]
        while True:
            job = self.search([("state", "in", ("queued", "running"))], order="id", limit=1).try_lock_for_update()
            if not job:
                return
            processed = job._run_batch()
            left = sum(len(j.todo_ids or []) for j in self.search([("state", "in", ("queued", "running"))]))
            if not cron._commit_progress(processed, remaining=left):
                if job.state in ("queued", "running"):
                    self.env.ref("aftersales_ticket.ir_cron_aftersales_job")._trigger()
                return

    def action_open_results(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self.result_model,
            "view_mode": "list,form",
            "domain": [("id", "in", self.result_ids or [])],
        }

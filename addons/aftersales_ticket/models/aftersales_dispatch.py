"""Auto-dispatch 派单: which technician gets a ticket, and why.

Everything dispatch decides lives here: the candidates' profiles (one query),
who is busy at the ticket's appointment, the score, the claim on the chosen
technicians' rows, and the sentence that explains the choice on the ticket.
"""

import logging
from collections import defaultdict

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import parent_path_ids
from .aftersales_technician import LEVEL_RANK

_logger = logging.getLogger(__name__)

# Score of a candidate technician: the best score gets the ticket.
SCORE_PRODUCT_SKILL = 40  # skilled in the product line (category or a parent of it)
SCORE_FAULT_SKILL = 30  # skilled in the ticket's fault type
SCORE_TEAM_MEMBER = 20  # member of the ticket's team
SCORE_NETWORK_TEAM = 10  # member of a team above, below or beside it in the service network
PENALTY_PER_OPEN_TICKET = 5  # per open ticket the technician already has


class AftersalesTechnician(models.Model):
    _inherit = "aftersales.technician"

    @api.model
    def _dispatch_profiles(self, company_ids):
        """Everything auto-dispatch needs about the available technicians of
        these companies -- certification level, capacity, open workload, teams with their
        place in the service network, product and fault skills -- in one
        query, whatever the number of technicians or tickets."""
        Ticket = self.env["aftersales.ticket"]
        Ticket.flush_model(["technician_id", "is_closed", "active", "date_service_end"])
        self.flush_model()
        self.env["aftersales.team"].flush_model(["parent_path"])
        teams, categs, faults = (
            self._fields[name] for name in ("team_ids", "product_category_ids", "fault_category_ids")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT tech.id, tech.name, tech.certification_level, tech.company_id, tech.max_open_tickets,
                       (SELECT count(*) FROM aftersales_ticket ticket
                         WHERE ticket.technician_id = tech.id AND ticket.active AND ticket.is_closed IS NOT TRUE
                           AND ticket.date_service_end IS NULL),
                       ARRAY(SELECT team.parent_path FROM %(team_rel)s rel
                               JOIN aftersales_team team ON team.id = rel.%(team_col)s
                              WHERE rel.%(team_tech)s = tech.id),
                       ARRAY(SELECT rel.%(categ_col)s FROM %(categ_rel)s rel WHERE rel.%(categ_tech)s = tech.id),
                       ARRAY(SELECT rel.%(fault_col)s FROM %(fault_rel)s rel WHERE rel.%(fault_tech)s = tech.id)
                  FROM aftersales_technician tech
                 WHERE tech.active AND tech.available AND tech.company_id = ANY(%(companies)s)
                 ORDER BY tech.id
                """,
                team_rel=SQL.identifier(teams.relation),
                team_col=SQL.identifier(teams.column2),
                team_tech=SQL.identifier(teams.column1),
                categ_rel=SQL.identifier(categs.relation),
                categ_col=SQL.identifier(categs.column2),
                categ_tech=SQL.identifier(categs.column1),
                fault_rel=SQL.identifier(faults.relation),
                fault_col=SQL.identifier(faults.column2),
                fault_tech=SQL.identifier(faults.column1),
                companies=list(company_ids),
            )
        )
        profiles = []
        for (
            tech_id,
            name,
            certification_level,
            company_id,
            capacity,
            load,
            team_paths,
            categ_ids,
            fault_ids,
        ) in self.env.cr.fetchall():
            paths = [parent_path_ids(path) for path in team_paths if path]
            profiles.append(
                {
                    "id": tech_id,
                    "name": name,
                    "certification_level": certification_level,
                    "company_id": company_id,
                    "capacity": capacity,
                    "load": load,
                    "team_paths": paths,
                    "team_ids": {path[-1] for path in paths},
                    "categ_ids": set(categ_ids),
                    "fault_ids": set(fault_ids),
                }
            )
        return profiles


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited  # one file per concern

    # Why dispatch chose (or could not choose) a technician, as facts; the
    # sentence is written when read, in the reader's language.
    dispatch_data = fields.Json(readonly=True, copy=False, groups="base.group_user")
    dispatch_reason = fields.Text(
        string="Dispatch Reasoning", compute="_compute_dispatch_reason", groups="base.group_user"
    )

    @api.depends("dispatch_data")
    @api.depends_context("lang")
    def _compute_dispatch_reason(self):
        for ticket in self:
            ticket.dispatch_reason = ticket._dispatch_sentence(ticket.dispatch_data) if ticket.dispatch_data else False

    def action_auto_dispatch(self):
        self.check_access("write")
        self.filtered(lambda t: not t.technician_id)._auto_dispatch()
        return True

    def _auto_dispatch(self, log=True):
        """Assign each ticket to the best available technician and explain why
        in the chatter. Tickets are served in queue order (priority_rank:
        emergencies first, and what extending addons add); the workload of a
        technician grows with each ticket given in the same batch.

        Scored by _dispatch_rank() with the SCORE_* weights above; technicians
        below the required certification level, unavailable, busy at the
        appointment or at capacity are left out.

        Returns the explanation per ticket id; with ``log`` it is also posted
        as a note on each ticket.
        """
        tickets = self.filtered(lambda t: not t.technician_id).sorted(
            lambda t: (t.priority_rank, t.date_reported or fields.Datetime.now(), t.id)
        )
        if not tickets:
            return {}
        profiles = self.env["aftersales.technician"]._dispatch_profiles(tickets.company_id.ids)
        busy = tickets._dispatch_busy(profiles)
        assignments = {}
        facts = {}
        booked = {}  # technician id: [(start, end)] of the visits given in this batch
        for ticket in tickets:
            slot = ticket.appointment_date and ticket._visit_slot()
            taken = {
                tech_id
                for tech_id, slots in booked.items()
                if slot and any(start < slot[1] and slot[0] < end for start, end in slots)
            }
            ranking = ticket._dispatch_rank(profiles, set(busy.get(ticket.id, ())) | taken)
            if ranking:
                score, best, reasons = ranking[0]
                best["load"] += 1
                if slot:
                    booked.setdefault(best["id"], []).append(slot)
                assignments.setdefault(best["id"], []).append(ticket.id)
                data = {"why": "assigned", "technician": best["name"], "score": score, "reasons": reasons}
                if len(ranking) > 1:
                    data["runner_up"] = [ranking[1][1]["name"], ranking[1][0]]
            else:
                data = {"why": "nobody", "level": ticket.required_level, "team": ticket.team_id.display_name or "-"}
            facts[ticket.id] = data
        if assignments and not self._dispatch_claim(sorted(assignments)):
            facts = {ticket_id: {"why": "race"} for ticket_id in tickets.ids}
            assignments = {}
        decided = dict(facts)
        now = fields.Datetime.now()
        # The dispatch note says who was assigned and why: no tracking message
        # on top. These are facts of the system (_write_facts: every write()
        # override sees them); the ORM's flush writes the rows of a batch in
        # few UPDATEs. A technician's single ticket gets its facts in one write.
        untracked = self.with_context(mail_notrack=True)
        for technician_id, ticket_ids in assignments.items():
            vals = {"technician_id": technician_id, "date_assigned": now}
            if len(ticket_ids) == 1:
                vals["dispatch_data"] = facts.pop(ticket_ids[0])
            untracked.browse(ticket_ids)._write_facts(vals)
        for ticket_id, data in facts.items():
            untracked.browse(ticket_id)._write_facts({"dispatch_data": data})
        # Written out from the facts in hand, not read back from the database.
        bodies = {ticket.id: Markup("<p>%s</p>") % ticket._dispatch_sentence(decided[ticket.id]) for ticket in tickets}
        if log:
            tickets._message_log_batch(bodies=bodies)
        return bodies

    @api.model
    def _dispatch_claim(self, technician_ids):
        """Claim the chosen technicians' rows: another worker dispatching to
        them at the same time hits a serialization failure, and Odoo retries
        its request on the workloads this transaction commits. Paths that must
        not fail (the mail gateway) ask for a soft claim: on a conflict it
        returns False and the tickets wait for an agent.

        An UPDATE, not lock_for_update(): a row lock does not conflict with a
        dispatch that already committed (it only locked the row), so under
        REPEATABLE READ the second worker would count the workloads of its
        older snapshot and overbook the technician; the new row version does
        conflict, and the retried request sees the committed tickets
        (test_concurrency). lock_for_update() also skips locked rows and
        raises LockError, which Odoo does not retry, where this waits."""
        query = SQL(
            "UPDATE aftersales_technician SET write_date = %s WHERE id = ANY(%s)",
            fields.Datetime.now(),
            technician_ids,
        )
        if not self.env.context.get("aftersales_dispatch_soft"):
            self.env.cr.execute(query)
        else:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(query, log_exceptions=False)
            except (psycopg2.errors.SerializationFailure, psycopg2.errors.LockNotAvailable):
                _logger.info("Auto-dispatch: technicians %s taken by a concurrent dispatch", technician_ids)
                return False
        self.env["aftersales.technician"].browse(technician_ids).invalidate_recordset(["write_date"])
        return True

    def _dispatch_busy(self, profiles):
        """{ticket id: ids of the technicians not free for the ticket}: at the
        ticket's appointment, outside their working hours, on leave or with
        another visit booked at that time (_visit_clashes(), the check every
        booking passes); for a ticket without appointment, on time off now.
        A constant number of queries per calendar, whatever the number of
        tickets."""
        if not profiles:
            return {}
        technicians = self.env["aftersales.technician"].sudo().browse([tech["id"] for tech in profiles])
        busy = defaultdict(set)
        unscheduled = [ticket.id for ticket in self if not ticket.appointment_date]
        if unscheduled:
            now = fields.Datetime.now()
            leaves = (
                self.env["resource.calendar.leaves"]
                .sudo()
                .search_fetch(
                    [
                        ("resource_id.user_id", "in", technicians.user_id.ids),
                        ("date_from", "<=", now),
                        ("date_to", ">", now),
                    ],
                    ["resource_id"],
                )
            )
            away = technicians.filtered(lambda t: t.user_id in leaves.resource_id.user_id).ids
            for ticket_id in unscheduled if away else ():
                busy[ticket_id].update(away)
        for ticket_id, clashes in self._visit_clashes(technicians).items():
            busy[ticket_id].update(clashes)
        return busy

    def _dispatch_rank(self, profiles, busy=()):
        """Candidates for this ticket, best first: [(score, profile, reasons)];
        reasons are [kind, value] pairs, written out by _dispatch_sentence()."""
        self.ensure_one()
        required = LEVEL_RANK.get(self.required_level or "basic", 0)
        team = self.team_id
        team_path = parent_path_ids(team.parent_path)
        team_parent = team_path[-2] if len(team_path) > 1 else None
        categ_path = set(parent_path_ids(self.product_category_id.parent_path))
        fault = self.fault_category_id
        ranking = []
        for tech in profiles:
            if tech["company_id"] != self.company_id.id or LEVEL_RANK.get(tech["certification_level"], 0) < required:
                continue
            if tech["id"] in busy or (tech["capacity"] and tech["load"] >= tech["capacity"]):
                continue
            score, reasons = 0, []
            if team:
                if team.id in tech["team_ids"]:
                    score += SCORE_TEAM_MEMBER
                    reasons.append(["member", team.name])
                elif any(
                    path[-1] in team_path  # the technician's team is above the ticket's
                    or team.id in path  # or below it
                    or (team_parent and len(path) > 1 and path[-2] == team_parent)  # or a sibling centre
                    for path in tech["team_paths"]
                ):
                    score += SCORE_NETWORK_TEAM
                    reasons.append(["region", team.name])
                else:
                    continue
            if categ_path & tech["categ_ids"]:
                score += SCORE_PRODUCT_SKILL
                reasons.append(["categ", self.product_category_id.name])
            if fault and fault.id in tech["fault_ids"]:
                score += SCORE_FAULT_SKILL
                reasons.append(["fault", fault.id])
            score -= PENALTY_PER_OPEN_TICKET * tech["load"]
            reasons.append(["load", tech["load"]])
            reasons.append(["level", tech["certification_level"]])
            ranking.append((score, tech, reasons))
        ranking.sort(key=lambda r: (-r[0], r[1]["load"], r[1]["name"] or ""))
        return ranking

    def _dispatch_sentence(self, data):
        """The dispatch decision ``data`` written out in the environment's language."""
        env = self.env
        why = (data or {}).get("why")
        if why == "race":
            return env._(
                "Auto-dispatch met another dispatch to the same technicians at the same moment; "
                "the ticket waits for an agent to dispatch it."
            )
        levels = dict(env["aftersales.technician"]._fields["certification_level"]._description_selection(env))
        if why == "nobody":
            return env._(
                "Auto-dispatch found no available technician at level %(level)s or above in team %(team)s; "
                "the ticket waits for manual dispatch.",
                level=levels.get(data["level"], data["level"]),
                team=data["team"],
            )
        if why != "assigned":
            return False
        faults = (
            env["aftersales.fault.category"]
            .sudo()
            .browse([value for kind, value in data["reasons"] if kind == "fault"])
        )
        reason_texts = {
            "member": lambda value: env._("member of %(team)s", team=value),
            "region": lambda value: env._("same service region as %(team)s", team=value),
            "categ": lambda value: env._("skilled in %(categ)s", categ=value),
            "fault": lambda value: env._("skilled in %(fault)s faults", fault=faults.browse(value).name),
            "load": lambda value: env._("%(count)s open tickets", count=value),
            "level": lambda value: env._("level %(level)s", level=levels.get(value, value)),
        }
        sentence = env._(
            "Auto-dispatch assigned %(technician)s (score %(score)s): %(reasons)s.",
            technician=data["technician"],
            score=data["score"],
            reasons="; ".join(reason_texts[kind](value) for kind, value in data["reasons"]),
        )
        if data.get("runner_up"):
            name, score = data["runner_up"]
            sentence += " " + env._("Runner-up: %(technician)s (score %(score)s).", technician=name, score=score)
        return sentence

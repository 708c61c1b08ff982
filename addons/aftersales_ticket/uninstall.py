"""What uninstalling an addon of the suite leaves in the database.

Odoo deletes every record an addon's data and demo files created. Some of them
are by then part of the company's history: a spare part on a stock move and an
invoice line, a technician's van holding stock, a survey a customer answered.
Their rows cannot go (the documents point at them with a restricting foreign
key), so the delete fails, PostgreSQL refuses it, and Odoo logs each refused
query as an ERROR before keeping the record anyway.

``release_referenced_records(env, module)``, called from an addon's
``uninstall_hook``, finds those records first and drops their external ids:
they stay as ordinary records of the company (the history keeps its parts and
places), and Odoo deletes only what nothing else needs.
"""

import logging
from collections import defaultdict

_logger = logging.getLogger(__name__)


def _restricting_fields(env, model_name, documents=()):
    """(model, field name) of every stored many2one whose target is
    ``model_name`` and whose foreign key refuses the target's deletion, or
    that a model of ``documents`` holds (a ticket keeps its customer)."""
    return [
        (model._name, field.name)
        for model in env.registry.values()
        if not model._abstract and model._auto and not model._transient
        for field in model._fields.values()
        if field.type == "many2one"
        and field.store
        and field.comodel_name == model_name
        and (field.ondelete == "restrict" or model._name in documents)
    ]


def _referenced_ids(env, model_name, ids, own, documents=()):
    """The ids among ``ids`` that a restricting foreign key points at,
    directly or through a record that ``_inherits`` from them (a product
    variant for its template), or that a record of ``documents`` points at.
    References from ``own`` ({model: ids}, the records the uninstall deletes
    as well) do not count."""
    referenced = set()
    for other, fname in _restricting_fields(env, model_name, documents):
        records = env[other].sudo().with_context(active_test=False).search([(fname, "in", list(ids))])
        mine = own.get(other, set())
        referenced.update(records.filtered(lambda r, mine=mine: r.id not in mine)[fname].ids)
    for child in env.registry.values():
        parent_field = child._inherits.get(model_name)
        if not parent_field or child._abstract or not child._auto:
            continue
        children = env[child._name].sudo().with_context(active_test=False).search([(parent_field, "in", list(ids))])
        for child_id in _referenced_ids(env, child._name, set(children.ids), own, documents):
            referenced.add(children.browse(child_id)[parent_field].id)
    return referenced


def _keep_what_kept_records_cascade_from(env, kept, module_ids):
    """A kept record would still go with a record of the module that it is
    deleted with (a many2one ``ondelete="cascade"``: a van's replenishment
    rule, which a stock move used, with its route), and the delete would
    fail on the record's own references: that record of the module is kept
    too, and so on up. Updates ``kept`` ({model: ids})."""
    todo = list(kept)
    while todo:
        model_name = todo.pop()
        records = env[model_name].sudo().with_context(active_test=False).browse(list(kept[model_name]))
        for field in records._fields.values():
            if not (field.type == "many2one" and field.store and field.ondelete == "cascade"):
                continue
            targets = set(records[field.name].ids) & module_ids.get(field.comodel_name, set())
            new = targets - kept.get(field.comodel_name, set())
            if new:
                kept.setdefault(field.comodel_name, set()).update(new)
                todo.append(field.comodel_name)


def release_referenced_records(env, module, documents=()):
    """Drop the external ids of ``module``'s records that other records still
    reference with a restricting foreign key, so that the uninstall keeps them
    instead of failing to delete them; and of its records of the models
    ``documents`` (service tickets, repair orders of its demo data: the
    company's documents, owned by addons that stay). Returns {model: kept ids}."""
    data = env["ir.model.data"].sudo().search([("module", "=", module)])
    own = defaultdict(set)
    for row in data:
        own[row.model].add(row.res_id)
    by_model = {model: ids for model, ids in own.items() if model in env and not model.startswith("ir.")}
    module_ids = {model: set(ids) for model, ids in by_model.items()}
    kept = {}
    # The documents first: what they point at is then referenced too.
    for model_name in sorted(by_model, key=lambda m: m not in documents):
        ids = set(env[model_name].sudo().browse(by_model[model_name]).exists().ids)
        if model_name in documents:
            referenced = ids
            own[model_name] -= ids  # they stay: what they point at is referenced
        else:
            referenced = _referenced_ids(env, model_name, ids, own, documents) & ids if ids else set()
        if referenced:
            kept[model_name] = referenced
    _keep_what_kept_records_cascade_from(env, kept, module_ids)
    data.filtered(lambda row: row.res_id in kept.get(row.model, ())).unlink()
    if kept:
        _logger.info("Uninstalling %s keeps the records still referenced by the company's documents: %s", module, kept)
    return kept

def parent_path_ids(parent_path):
    """[root id, ..., own id] from a ``parent_path`` such as '1/4/9/' (teams,
    product categories: any model with ``_parent_store``)."""
    return [int(part) for part in (parent_path or "").split("/") if part]

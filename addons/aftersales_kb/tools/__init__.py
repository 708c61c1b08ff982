from .search_text import (
    MAX_QUERY_LENGTH,
    build_document,
    build_tsquery,
    cap_query,
    html_query,
    search_vector_expression,
    search_vector_sql,
)

from .search_text import build_document, build_tsquery, search_vector_expression, search_vector_sql

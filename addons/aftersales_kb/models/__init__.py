from . import aftersales_kb_tag
from . import aftersales_kb_article
from . import aftersales_kb_article_search
from . import aftersales_kb_suggestion
from . import aftersales_kb_article_version
from . import aftersales_kb_vote
from . import aftersales_kb_search_log
from . import aftersales_ticket

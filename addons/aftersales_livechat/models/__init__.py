from . import aftersales_kb_search_log, aftersales_ticket, chatbot_script_step, discuss_channel

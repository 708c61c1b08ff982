from . import test_chat_ticket, test_chatbot, test_ticket_command

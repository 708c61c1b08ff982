from . import portal, unsubscribe

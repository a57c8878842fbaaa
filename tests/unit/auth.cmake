mcpgate_add_test(tst_apikeystore SOURCES auth/tst_apikeystore.cpp LIBS mcpgate_daemon LABELS auth)
mcpgate_add_test(tst_apikeyauthenticator SOURCES auth/tst_apikeyauthenticator.cpp LIBS mcpgate_daemon LABELS auth)
mcpgate_add_test(tst_firststart SOURCES auth/tst_firststart.cpp LIBS mcpgate_daemon LABELS auth)

mcpgate_add_test(tst_httpserver SOURCES http/tst_httpserver.cpp LIBS mcpgate_http Qt6::Network LABELS http TIMEOUT 180)
mcpgate_add_test(tst_router SOURCES http/tst_router.cpp LIBS mcpgate_http LABELS http)
mcpgate_add_test(tst_dispatcher SOURCES http/tst_dispatcher.cpp LIBS mcpgate_http LABELS http)

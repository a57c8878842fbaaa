mcpgate_add_test(tst_jsonrpc SOURCES common/tst_jsonrpc.cpp LIBS mcpgate_common LABELS common)
mcpgate_add_test(tst_protocolversion SOURCES common/tst_protocolversion.cpp LIBS mcpgate_common LABELS common)
mcpgate_add_test(tst_strictjson SOURCES common/tst_strictjson.cpp LIBS mcpgate_common LABELS common)

mcpgate_add_test(tst_demomcpserver SOURCES demo/tst_demomcpserver.cpp LIBS mcpgate_demo LABELS demo)
# These start the built binary.
mcpgate_add_test(tst_stdiotransport SOURCES demo/tst_stdiotransport.cpp LIBS mcpgate_common LABELS demo)
add_dependencies(tst_stdiotransport mcpgate-demo-server)
mcpgate_add_test(tst_httptransport SOURCES demo/tst_httptransport.cpp LIBS mcpgate_demo Qt6::Network LABELS demo)
add_dependencies(tst_httptransport mcpgate-demo-server)

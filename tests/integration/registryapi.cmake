include("${PROJECT_SOURCE_DIR}/tests/support/daemonprocess.cmake")
mcpgate_add_test(tst_registryapi SOURCES tst_registryapi.cpp LIBS mcpgate_test_daemonprocess Qt6::Network Qt6::Sql
    LABELS integration TIMEOUT 300)
mcpgate_add_test(tst_daemoncli SOURCES tst_daemoncli.cpp LIBS mcpgate_test_daemonprocess Qt6::Network Qt6::Sql
    LABELS integration TIMEOUT 300)
mcpgate_add_test(tst_openapiroutes SOURCES tst_openapiroutes.cpp LIBS mcpgate_daemon LABELS integration)

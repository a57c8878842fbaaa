include("${PROJECT_SOURCE_DIR}/tests/support/postgres.cmake")

mcpgate_add_test(tst_database SOURCES "${CMAKE_CURRENT_LIST_DIR}/tst_database.cpp"
    LIBS mcpgate_daemon mcpgate_test_postgres LABELS storage)
mcpgate_add_test(tst_migrator SOURCES "${CMAKE_CURRENT_LIST_DIR}/tst_migrator.cpp"
    LIBS mcpgate_daemon mcpgate_test_postgres LABELS storage)
mcpgate_add_test(tst_sqltime SOURCES "${CMAKE_CURRENT_LIST_DIR}/tst_sqltime.cpp"
    LIBS mcpgate_daemon LABELS storage)

# mcpgate_test_postgres: PostgresServer, a throwaway real PostgreSQL cluster for tests. Any test
# area may include this file and link the target.
include_guard(GLOBAL)

add_library(mcpgate_test_postgres STATIC
    "${CMAKE_CURRENT_LIST_DIR}/postgresserver.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/postgresserver.h")
target_include_directories(mcpgate_test_postgres PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(mcpgate_test_postgres PUBLIC mcpgate_settings Qt6::Core Qt6::Network)

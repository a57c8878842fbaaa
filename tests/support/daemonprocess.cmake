# mcpgate_test_daemonprocess: runs the real mcpgated for integration tests.
include_guard(GLOBAL)

add_library(mcpgate_test_daemonprocess STATIC
    "${CMAKE_CURRENT_LIST_DIR}/daemonprocess.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/daemonprocess.h")
target_include_directories(mcpgate_test_daemonprocess PUBLIC "${PROJECT_SOURCE_DIR}")
target_compile_definitions(mcpgate_test_daemonprocess PRIVATE MCPGATE_BINARY_DIR="${PROJECT_BINARY_DIR}")
target_link_libraries(mcpgate_test_daemonprocess PUBLIC mcpgate_settings Qt6::Core Qt6::Network)

target_sources(mcpgate_daemon PRIVATE
    api/jsonbody.cpp api/jsonbody.h
    api/restapi.cpp api/restapi.h
    api/servercontroller.cpp api/servercontroller.h
    api/systemcontroller.cpp api/systemcontroller.h
)
qt_add_resources(mcpgate_daemon "api_document"
    PREFIX "/mcpgate"
    BASE "${PROJECT_SOURCE_DIR}/resources"
    FILES "${PROJECT_SOURCE_DIR}/resources/openapi.json")

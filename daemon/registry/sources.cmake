target_sources(mcpgate_daemon PRIVATE
    registry/jsonmergepatch.cpp registry/jsonmergepatch.h
    registry/registryerror.cpp registry/registryerror.h
    registry/servercredential.cpp registry/servercredential.h
    registry/serverdraft.h
    registry/serverquery.cpp registry/serverquery.h
    registry/serverrecord.cpp registry/serverrecord.h
    registry/serverrepository.cpp registry/serverrepository.h
    registry/servertransport.cpp registry/servertransport.h
    registry/servervalidator.cpp registry/servervalidator.h
    registry/sqlsupport.cpp registry/sqlsupport.h
    registry/validationerror.cpp registry/validationerror.h
)

target_sources(mcpgate_daemon PRIVATE
    config/configerror.h
    config/configfile.cpp config/configfile.h
    config/configloader.cpp config/configloader.h
    config/settings.cpp config/settings.h
)

target_sources(mcpgate_daemon PRIVATE
    storage/database.cpp storage/database.h
    storage/migrations.cpp storage/migrations.h
    storage/migrator.cpp storage/migrator.h
    storage/sqltime.cpp storage/sqltime.h
    storage/storagelog.h
)
target_sources(mcpgate_daemon PRIVATE storage/secretbox.cpp storage/secretbox.h)

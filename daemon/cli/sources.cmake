target_sources(mcpgate_daemon PRIVATE
    cli/commandline.cpp cli/commandline.h
    cli/firststart.cpp cli/firststart.h
    cli/keyscommand.cpp cli/keyscommand.h
    cli/logging.cpp cli/logging.h
    cli/servecommand.cpp cli/servecommand.h
    cli/signalwatcher.cpp cli/signalwatcher.h
)

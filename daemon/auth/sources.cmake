target_sources(mcpgate_daemon PRIVATE
    auth/apikeyauthenticator.cpp auth/apikeyauthenticator.h
    auth/apikeystore.cpp auth/apikeystore.h
    auth/tenantstore.cpp auth/tenantstore.h
)

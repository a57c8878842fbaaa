// The MCP protocol revisions this project speaks, how a version is negotiated, and which
// protocol features each revision has, as read from the specification text of that revision.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace mcpgate::mcp {

// Oldest first; the underlying values order the revisions.
enum class Revision
{
    V2024_11_05 = 0, // HTTP+SSE transport
    V2025_03_26, // Streamable HTTP, sessions, JSON-RPC batches
    V2025_06_18, // structured tool output, elicitation, MCP-Protocol-Version header
    V2025_11_25, // icons, tasks, URL elicitation
    V2026_07_28, // stateless: no initialize, per-request _meta, server/discover
};

// Error codes MCP defines on top of JSON-RPC's (see jsonrpc::ErrorCode).
namespace ErrorCode {
inline constexpr int ResourceNotFoundLegacy = -32002; // 2025-11-25 and earlier
inline constexpr int HeaderMismatch = -32020;
inline constexpr int MissingRequiredClientCapability = -32021;
inline constexpr int UnsupportedProtocolVersion = -32022;
inline constexpr int UrlElicitationRequired = -32042; // 2025-11-25 only
} // namespace ErrorCode

// Reserved _meta keys of the stateless revision.
namespace MetaKey {
inline constexpr char ProtocolVersion[] = "io.modelcontextprotocol/protocolVersion";
inline constexpr char ClientInfo[] = "io.modelcontextprotocol/clientInfo";
inline constexpr char ClientCapabilities[] = "io.modelcontextprotocol/clientCapabilities";
inline constexpr char LogLevel[] = "io.modelcontextprotocol/logLevel";
inline constexpr char ServerInfo[] = "io.modelcontextprotocol/serverInfo";
inline constexpr char SubscriptionId[] = "io.modelcontextprotocol/subscriptionId";
inline constexpr char ProgressToken[] = "progressToken";
} // namespace MetaKey

// Streamable HTTP header names (matched case-insensitively on the wire).
namespace Header {
inline constexpr char ProtocolVersion[] = "MCP-Protocol-Version";
inline constexpr char SessionId[] = "Mcp-Session-Id";
inline constexpr char Method[] = "Mcp-Method";
inline constexpr char Name[] = "Mcp-Name";
inline constexpr char LastEventId[] = "Last-Event-ID";
} // namespace Header

// What a Streamable HTTP server assumes when a request has no MCP-Protocol-Version header and
// nothing else tells (2025-06-18 and later say so).
inline constexpr char VersionAssumedWithoutHeader[] = "2025-03-26";

// Every revision as its version string, oldest first.
const QStringList &knownVersions();
// The revisions that open with an initialize handshake (the "legacy era"), oldest first.
const QStringList &initializeVersions();

QString versionString(Revision revision);
std::optional<Revision> revisionFromString(QStringView version);
bool isKnown(QStringView version);
Revision latestRevision();
QString latestVersion();

// A version string has the shape YYYY-MM-DD; such strings order as dates.
bool isWellFormedVersion(QStringView version);
// <0, 0 or >0; malformed versions order before every well-formed one.
int compareVersions(QStringView a, QStringView b);
// False for a version this build does not know.
bool isAtLeast(QStringView version, Revision minimum);
bool isAtMost(QStringView version, Revision maximum);

// The initialize rule: a server that supports the requested version answers with it, otherwise
// with the latest version it supports. Empty when `supportedBySelf` is empty. For initialize,
// pass only versions that have the handshake (see initializeVersions()).
QString negotiate(const QString &requested, const QStringList &supportedBySelf);

struct RevisionFeatures
{
    // Session shape
    bool initializeHandshake = false; // initialize + notifications/initialized open a session
    bool statelessRequests = false; // every request carries version and capabilities in _meta
    bool serverDiscover = false; // server/discover exists (servers must implement it)
    bool batchesAllowed = false; // JSON-RPC batches: only 2025-03-26
    bool ping = false;
    bool loggingSetLevel = false; // later: per-request _meta log level
    bool resourcesSubscribe = false; // resources/subscribe and unsubscribe
    bool subscriptionsListen = false; // its replacement
    bool serverToClientRequests = false; // sampling/elicitation/roots as server requests
    bool multiRoundTrip = false; // ...or embedded in an input_required result
    bool resultTypeRequired = false; // every result carries resultType
    bool cacheHints = false; // ttlMs and cacheScope on list/read/discover results

    // Transports
    bool httpSseTransport = false; // the 2024-11-05 GET /sse + POST endpoint pair
    bool streamableHttp = false;
    bool httpSessions = false; // Mcp-Session-Id issued on initialize, DELETE ends it
    bool httpGetStream = false; // GET on the MCP endpoint opens a server stream
    bool sseResumable = false; // SSE event ids and Last-Event-ID
    bool protocolVersionHeader = false; // MCP-Protocol-Version on every request after init
    bool methodHeaders = false; // Mcp-Method and Mcp-Name mirror the body
    bool disconnectCancels = false; // closing a response stream cancels the request

    // Content and metadata
    bool toolAnnotations = false;
    bool audioContent = false;
    bool progressMessage = false; // notifications/progress has "message"
    bool completionsCapability = false;
    bool structuredContent = false; // structuredContent and outputSchema on tools
    bool elicitation = false;
    bool resourceLinks = false;
    bool titles = false; // "title" beside "name"
    bool icons = false;
    bool urlElicitation = false;
    bool tasks = false; // in the core protocol (later an extension)
    // Invalid tool arguments: a tool result with isError (true) or a -32602 protocol error.
    bool inputValidationAsToolError = false;
    int resourceNotFoundCode = ErrorCode::ResourceNotFoundLegacy;
};

RevisionFeatures features(Revision revision);
// Features of a version string; nullopt for an unknown one.
std::optional<RevisionFeatures> features(QStringView version);

} // namespace mcpgate::mcp

#include "protocolversion.h"

#include "jsonrpc.h"

#include <array>

namespace mcpgate::mcp {

namespace {

constexpr std::array<const char *, 5> kVersions = {
    "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28",
};

} // namespace

const QStringList &knownVersions()
{
    static const QStringList versions = [] {
        QStringList out;
        for (const char *version : kVersions)
            out.append(QString::fromLatin1(version));
        return out;
    }();
    return versions;
}

const QStringList &initializeVersions()
{
    static const QStringList versions = [] {
        QStringList out;
        for (const QString &version : knownVersions()) {
            if (features(*revisionFromString(version)).initializeHandshake)
                out.append(version);
        }
        return out;
    }();
    return versions;
}

QString versionString(Revision revision)
{
    return QString::fromLatin1(kVersions.at(static_cast<std::size_t>(revision)));
}

std::optional<Revision> revisionFromString(QStringView version)
{
    for (std::size_t i = 0; i < kVersions.size(); ++i) {
        if (version == QLatin1String(kVersions[i]))
            return static_cast<Revision>(i);
    }
    return std::nullopt;
}

bool isKnown(QStringView version)
{
    return revisionFromString(version).has_value();
}

Revision latestRevision()
{
    return static_cast<Revision>(kVersions.size() - 1);
}

QString latestVersion()
{
    return versionString(latestRevision());
}

bool isWellFormedVersion(QStringView version)
{
    if (version.size() != 10)
        return false;
    for (qsizetype i = 0; i < version.size(); ++i) {
        const QChar c = version.at(i);
        const bool dash = i == 4 || i == 7;
        if (dash ? c != QLatin1Char('-') : !(c >= QLatin1Char('0') && c <= QLatin1Char('9')))
            return false;
    }
    return true;
}

int compareVersions(QStringView a, QStringView b)
{
    const bool aOk = isWellFormedVersion(a);
    const bool bOk = isWellFormedVersion(b);
    if (aOk != bOk)
        return aOk ? 1 : -1;
    // Fixed-width dates order like plain strings; malformed ones need some stable order too.
    return a.compare(b);
}

bool isAtLeast(QStringView version, Revision minimum)
{
    const auto revision = revisionFromString(version);
    return revision && *revision >= minimum;
}

bool isAtMost(QStringView version, Revision maximum)
{
    const auto revision = revisionFromString(version);
    return revision && *revision <= maximum;
}

QString negotiate(const QString &requested, const QStringList &supportedBySelf)
{
    if (supportedBySelf.contains(requested))
        return requested;
    QString latest;
    for (const QString &version : supportedBySelf) {
        if (latest.isEmpty() || compareVersions(version, latest) > 0)
            latest = version;
    }
    return latest;
}

RevisionFeatures features(Revision revision)
{
    const auto atLeast = [revision](Revision minimum) { return revision >= minimum; };
    const bool stateless = revision >= Revision::V2026_07_28;
    const bool sessionEra = revision >= Revision::V2025_03_26 && revision <= Revision::V2025_11_25;

    RevisionFeatures f;
    f.initializeHandshake = !stateless;
    f.statelessRequests = stateless;
    f.serverDiscover = stateless;
    f.batchesAllowed = revision == Revision::V2025_03_26;
    f.ping = !stateless;
    f.loggingSetLevel = !stateless;
    f.resourcesSubscribe = !stateless;
    f.subscriptionsListen = stateless;
    f.serverToClientRequests = !stateless;
    f.multiRoundTrip = stateless;
    f.resultTypeRequired = stateless;
    f.cacheHints = stateless;

    f.httpSseTransport = revision == Revision::V2024_11_05;
    f.streamableHttp = atLeast(Revision::V2025_03_26);
    f.httpSessions = sessionEra;
    f.httpGetStream = sessionEra;
    f.sseResumable = sessionEra;
    f.protocolVersionHeader = atLeast(Revision::V2025_06_18);
    f.methodHeaders = stateless;
    f.disconnectCancels = stateless;

    f.toolAnnotations = atLeast(Revision::V2025_03_26);
    f.audioContent = atLeast(Revision::V2025_03_26);
    f.progressMessage = atLeast(Revision::V2025_03_26);
    f.completionsCapability = atLeast(Revision::V2025_03_26);
    f.structuredContent = atLeast(Revision::V2025_06_18);
    f.elicitation = atLeast(Revision::V2025_06_18);
    f.resourceLinks = atLeast(Revision::V2025_06_18);
    f.titles = atLeast(Revision::V2025_06_18);
    f.icons = atLeast(Revision::V2025_11_25);
    f.urlElicitation = atLeast(Revision::V2025_11_25);
    f.tasks = revision == Revision::V2025_11_25;
    f.inputValidationAsToolError = atLeast(Revision::V2025_11_25);
    f.resourceNotFoundCode
        = stateless ? jsonrpc::ErrorCode::InvalidParams : ErrorCode::ResourceNotFoundLegacy;
    return f;
}

std::optional<RevisionFeatures> features(QStringView version)
{
    const auto revision = revisionFromString(version);
    if (!revision)
        return std::nullopt;
    return features(*revision);
}

} // namespace mcpgate::mcp

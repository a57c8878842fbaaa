#include "common/protocolversion.h"

#include <QTest>

using namespace mcpgate::mcp;

class TestProtocolVersion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsRevisionsOldestFirst()
    {
        const QStringList expected = {QStringLiteral("2024-11-05"), QStringLiteral("2025-03-26"),
                                      QStringLiteral("2025-06-18"), QStringLiteral("2025-11-25"),
                                      QStringLiteral("2026-07-28")};
        QCOMPARE(knownVersions(), expected);
        QCOMPARE(initializeVersions(), expected.mid(0, 4));
        QCOMPARE(latestVersion(), QStringLiteral("2026-07-28"));
        QCOMPARE(latestRevision(), Revision::V2026_07_28);
    }

    void mapsStringsAndRevisions()
    {
        for (const QString &version : knownVersions()) {
            const auto revision = revisionFromString(version);
            QVERIFY(revision);
            QCOMPARE(versionString(*revision), version);
            QVERIFY(isKnown(version));
        }
        QVERIFY(!revisionFromString(u"2025-01-01"));
        QVERIFY(!revisionFromString(u""));
        QVERIFY(!isKnown(u"2024-11-05 "));
        QVERIFY(Revision::V2024_11_05 < Revision::V2025_03_26);
        QVERIFY(Revision::V2025_11_25 < Revision::V2026_07_28);
    }

    void checksVersionShape_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<bool>("wellFormed");
        QTest::newRow("known") << QStringLiteral("2025-06-18") << true;
        QTest::newRow("future") << QStringLiteral("2030-01-31") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("short") << QStringLiteral("2025-6-18") << false;
        QTest::newRow("slashes") << QStringLiteral("2025/06/18") << false;
        QTest::newRow("letters") << QStringLiteral("2025-06-1x") << false;
        QTest::newRow("long") << QStringLiteral("2025-06-180") << false;
        QTest::newRow("draft") << QStringLiteral("DRAFT-2026") << false;
    }
    void checksVersionShape()
    {
        QFETCH(QString, version);
        QFETCH(bool, wellFormed);
        QCOMPARE(isWellFormedVersion(version), wellFormed);
    }

    void comparesVersions()
    {
        QVERIFY(compareVersions(u"2025-03-26", u"2024-11-05") > 0);
        QVERIFY(compareVersions(u"2024-11-05", u"2025-03-26") < 0);
        QCOMPARE(compareVersions(u"2025-06-18", u"2025-06-18"), 0);
        QVERIFY(compareVersions(u"2030-01-01", u"2026-07-28") > 0);
        QVERIFY(compareVersions(u"garbage", u"2024-11-05") < 0);
        QVERIFY(compareVersions(u"2024-11-05", u"zzz") > 0);

        QVERIFY(isAtLeast(u"2025-06-18", Revision::V2025_06_18));
        QVERIFY(isAtLeast(u"2026-07-28", Revision::V2025_03_26));
        QVERIFY(!isAtLeast(u"2025-03-26", Revision::V2025_06_18));
        QVERIFY(!isAtLeast(u"2030-01-01", Revision::V2024_11_05)); // unknown: no promise
        QVERIFY(isAtMost(u"2025-03-26", Revision::V2025_03_26));
        QVERIFY(isAtMost(u"2024-11-05", Revision::V2025_11_25));
        QVERIFY(!isAtMost(u"2026-07-28", Revision::V2025_11_25));
        QVERIFY(!isAtMost(u"1999-01-01", Revision::V2026_07_28));
    }

    void negotiatesLikeTheSpecSays_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QStringList>("supported");
        QTest::addColumn<QString>("expected");
        const QStringList all = initializeVersions();
        QTest::newRow("supported: same")
            << QStringLiteral("2025-03-26") << all << QStringLiteral("2025-03-26");
        QTest::newRow("oldest supported")
            << QStringLiteral("2024-11-05") << all << QStringLiteral("2024-11-05");
        QTest::newRow("unknown newer: latest")
            << QStringLiteral("2027-01-01") << all << QStringLiteral("2025-11-25");
        QTest::newRow("unknown older: latest")
            << QStringLiteral("2024-01-01") << all << QStringLiteral("2025-11-25");
        QTest::newRow("garbage: latest")
            << QStringLiteral("latest") << all << QStringLiteral("2025-11-25");
        QTest::newRow("unordered list")
            << QStringLiteral("x")
            << QStringList {QStringLiteral("2025-06-18"), QStringLiteral("2025-11-25"),
                            QStringLiteral("2024-11-05")}
            << QStringLiteral("2025-11-25");
        QTest::newRow("not in own list")
            << QStringLiteral("2025-06-18")
            << QStringList {QStringLiteral("2024-11-05"), QStringLiteral("2025-03-26")}
            << QStringLiteral("2025-03-26");
        QTest::newRow("nothing supported")
            << QStringLiteral("2025-06-18") << QStringList() << QString();
    }
    void negotiatesLikeTheSpecSays()
    {
        QFETCH(QString, requested);
        QFETCH(QStringList, supported);
        QFETCH(QString, expected);
        QCOMPARE(negotiate(requested, supported), expected);
    }

    // One row per revision; each flag as that revision's specification text has it.
    void featureFlags_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<bool>("batches");
        QTest::addColumn<bool>("stateless");
        QTest::addColumn<bool>("structured");
        QTest::addColumn<bool>("elicitation");
        QTest::addColumn<bool>("icons");
        QTest::addColumn<bool>("tasks");
        QTest::addColumn<bool>("sessions");
        QTest::addColumn<bool>("argumentErrorsInResult");
        QTest::addColumn<int>("resourceNotFound");
        QTest::newRow("2024-11-05") << QStringLiteral("2024-11-05") << false << false << false
                                    << false << false << false << false << false << -32002;
        QTest::newRow("2025-03-26") << QStringLiteral("2025-03-26") << true << false << false
                                    << false << false << false << true << false << -32002;
        QTest::newRow("2025-06-18") << QStringLiteral("2025-06-18") << false << false << true
                                    << true << false << false << true << false << -32002;
        QTest::newRow("2025-11-25") << QStringLiteral("2025-11-25") << false << false << true
                                    << true << true << true << true << true << -32002;
        QTest::newRow("2026-07-28") << QStringLiteral("2026-07-28") << false << true << true << true
                                    << true << false << false << true << -32602;
    }
    void featureFlags()
    {
        QFETCH(QString, version);
        QFETCH(bool, batches);
        QFETCH(bool, stateless);
        QFETCH(bool, structured);
        QFETCH(bool, elicitation);
        QFETCH(bool, icons);
        QFETCH(bool, tasks);
        QFETCH(bool, sessions);
        QFETCH(bool, argumentErrorsInResult);
        QFETCH(int, resourceNotFound);
        const auto f = features(version);
        QVERIFY(f);
        QCOMPARE(f->batchesAllowed, batches);
        QCOMPARE(f->statelessRequests, stateless);
        QCOMPARE(f->serverDiscover, stateless);
        QCOMPARE(f->initializeHandshake, !stateless);
        QCOMPARE(f->ping, !stateless);
        QCOMPARE(f->loggingSetLevel, !stateless);
        QCOMPARE(f->resourcesSubscribe, !stateless);
        QCOMPARE(f->subscriptionsListen, stateless);
        QCOMPARE(f->multiRoundTrip, stateless);
        QCOMPARE(f->serverToClientRequests, !stateless);
        QCOMPARE(f->resultTypeRequired, stateless);
        QCOMPARE(f->cacheHints, stateless);
        QCOMPARE(f->methodHeaders, stateless);
        QCOMPARE(f->disconnectCancels, stateless);
        QCOMPARE(f->structuredContent, structured);
        QCOMPARE(f->resourceLinks, structured);
        QCOMPARE(f->titles, structured);
        QCOMPARE(f->protocolVersionHeader, structured);
        QCOMPARE(f->elicitation, elicitation);
        QCOMPARE(f->icons, icons);
        QCOMPARE(f->urlElicitation, icons);
        QCOMPARE(f->tasks, tasks);
        QCOMPARE(f->httpSessions, sessions);
        QCOMPARE(f->httpGetStream, sessions);
        QCOMPARE(f->sseResumable, sessions);
        QCOMPARE(f->inputValidationAsToolError, argumentErrorsInResult);
        QCOMPARE(f->resourceNotFoundCode, resourceNotFound);

        const bool legacyHttp = version == QLatin1String("2024-11-05");
        QCOMPARE(f->httpSseTransport, legacyHttp);
        QCOMPARE(f->streamableHttp, !legacyHttp);
        QCOMPARE(f->toolAnnotations, !legacyHttp);
        QCOMPARE(f->audioContent, !legacyHttp);
        QCOMPARE(f->progressMessage, !legacyHttp);
        QCOMPARE(f->completionsCapability, !legacyHttp);
    }

    void unknownVersionHasNoFeatures()
    {
        QVERIFY(!features(u"2099-01-01"));
        QVERIFY(!features(u""));
    }

    void namesOnTheWire()
    {
        QCOMPARE(QLatin1String(VersionAssumedWithoutHeader), QLatin1String("2025-03-26"));
        QCOMPARE(QLatin1String(MetaKey::ProtocolVersion),
                 QLatin1String("io.modelcontextprotocol/protocolVersion"));
        QCOMPARE(ErrorCode::UnsupportedProtocolVersion, -32022);
        QCOMPARE(ErrorCode::HeaderMismatch, -32020);
        QCOMPARE(ErrorCode::MissingRequiredClientCapability, -32021);
    }
};

QTEST_GUILESS_MAIN(TestProtocolVersion)
#include "tst_protocolversion.moc"

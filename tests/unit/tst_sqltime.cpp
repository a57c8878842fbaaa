#include "storage/sqltime.h"

#include <QTest>
#include <QTimeZone>

using namespace mcpgate::storage;

class TestSqlTime : public QObject
{
    Q_OBJECT

private slots:
    void format();
    void roundTrip();
    void nullAndInvalid();
    void rejectsOtherShapes_data();
    void rejectsOtherShapes();
    void textOrderIsTimeOrder();
};

void TestSqlTime::format()
{
    const QDateTime utc(QDate(2026, 11, 29), QTime(8, 0), QTimeZone::utc());
    QCOMPARE(toDbTime(utc), QStringLiteral("2026-11-29T08:00:00.000Z"));
    // Other zones are converted to UTC.
    const QDateTime plusTwo(QDate(2026, 11, 29), QTime(10, 0, 0, 7), QTimeZone(2 * 3600));
    QCOMPARE(toDbTime(plusTwo), QStringLiteral("2026-11-29T08:00:00.007Z"));
    QCOMPARE(toDbTimeOrNull(utc), QVariant(QStringLiteral("2026-11-29T08:00:00.000Z")));
    QVERIFY(fromDbTime(currentDbTime()).isValid());
}

void TestSqlTime::roundTrip()
{
    const QDateTime time(QDate(1999, 12, 31), QTime(23, 59, 59, 999), QTimeZone::utc());
    const QDateTime back = fromDbTime(toDbTime(time));
    QCOMPARE(back, time);
    QCOMPARE(back.timeSpec(), Qt::UTC);
}

void TestSqlTime::nullAndInvalid()
{
    QCOMPARE(toDbTime(QDateTime()), QString());
    const QVariant null = toDbTimeOrNull(QDateTime());
    QVERIFY(null.isNull());
    QCOMPARE(null.metaType(), QMetaType::fromType<QString>());
    QVERIFY(!fromDbTime(QString()).isValid());
}

void TestSqlTime::rejectsOtherShapes_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("no millis") << "2026-11-29T08:00:00Z";
    QTest::newRow("offset") << "2026-11-29T08:00:00.000+01:00";
    QTest::newRow("no zone") << "2026-11-29T08:00:00.000";
    QTest::newRow("space") << "2026-11-29 08:00:00.000Z";
    QTest::newRow("bad month") << "2026-13-29T08:00:00.000Z";
    QTest::newRow("garbage") << "yesterday";
}

void TestSqlTime::rejectsOtherShapes()
{
    QFETCH(QString, text);
    QVERIFY(!fromDbTime(text).isValid());
}

void TestSqlTime::textOrderIsTimeOrder()
{
    const QDateTime base(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
    const QDateTime times[]
        = {base, base.addMSecs(1), base.addSecs(59), base.addDays(40), base.addYears(3)};
    for (size_t i = 1; i < std::size(times); ++i)
        QVERIFY(toDbTime(times[i - 1]) < toDbTime(times[i]));
}

QTEST_GUILESS_MAIN(TestSqlTime)
#include "tst_sqltime.moc"

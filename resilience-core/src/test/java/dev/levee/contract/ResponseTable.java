package dev.levee.contract;

import java.util.List;

/**
 * The documented response table: each response, and exactly the violations the contract of {@link Quote}
 * finds in it — the same at run time (on the record Jackson reads) and in the test kit (on the JSON), except
 * where a record cannot hold the JSON at all (a wrong type): there the run time reports the response as
 * unreadable, because the consumer's own deserializer refuses it before the contract sees it.
 */
final class ResponseTable {

    static final String GOOD = """
            {"sku": "ABC-1", "amount": 12.5, "currency": "EUR",
             "lines": [{"sku": "ABC-1", "quantity": 2}], "shipping": {"country": "FR"}}""";

    /** One row: a response, its violations on JSON (test kit, provider), and at run time. */
    record Row(String name, String json, List<Violation> onJson, List<Violation> atRunTime) {
        Row(String name, String json, List<Violation> both) {
            this(name, json, both, both);
        }
    }

    static Violation v(String expectation, String path, ViolationKind kind) {
        return new Violation(expectation, path, kind);
    }

    static final List<Row> ROWS = List.of(
            new Row("good", GOOD, List.of()),
            new Row("missing field", GOOD.replace("\"amount\": 12.5, ", ""),
                    List.of(v("has-amount", "amount", ViolationKind.MISSING))),
            new Row("null", GOOD.replace("{\"country\": \"FR\"}", "null"),
                    List.of(v("ships-to", "shipping.country", ViolationKind.MISSING))),
            new Row("wrong type", GOOD.replace("12.5", "\"cheap\""),
                    List.of(v("amount-in-range", "amount", ViolationKind.WRONG_TYPE)),
                    List.of(v(Contract.UNREADABLE, "", ViolationKind.UNREADABLE))),
            new Row("out of range", GOOD.replace("12.5", "250000"),
                    List.of(v("amount-in-range", "amount", ViolationKind.OUT_OF_RANGE))),
            new Row("not one of", GOOD.replace("EUR", "XBT"),
                    List.of(v("known-currency", "currency", ViolationKind.NOT_ONE_OF))),
            new Row("no match", GOOD.replace("\"sku\": \"ABC-1\", \"amount\"", "\"sku\": \"abc\", \"amount\""),
                    List.of(v("sku-format", "sku", ViolationKind.NO_MATCH))),
            new Row("empty list", GOOD.replace("[{\"sku\": \"ABC-1\", \"quantity\": 2}]", "[]"),
                    List.of(v("has-lines", "lines", ViolationKind.WRONG_SIZE))),
            new Row("extra field", GOOD.replace("{\"sku\": \"ABC-1\", \"quantity\": 2}",
                    "{\"sku\": \"ABC-1\", \"quantity\": 2, \"discount\": 3}").replace("\"currency\"", "\"promo\": true, \"currency\""),
                    List.of()),
            new Row("nested violation", GOOD.replace("[{\"sku\": \"ABC-1\", \"quantity\": 2}]",
                    "[{\"sku\": \"ABC-1\", \"quantity\": 2}, {\"quantity\": 0}]"),
                    List.of(v("line-has-sku", "lines[1].sku", ViolationKind.MISSING),
                            v("line-quantity", "lines[1].quantity", ViolationKind.OUT_OF_RANGE))));

    private ResponseTable() {
    }
}

package dev.levee.migration;

import java.util.List;

/** The domain answer of the tests' recommendations: what both providers' adapters produce. */
record Recs(String customer, List<Item> items, double total, long generatedAt) {

    record Item(String sku, String title, double score) {
    }

    static Recs of(String customer, double total, Item... items) {
        return new Recs(customer, List.of(items), total, 0);
    }
}

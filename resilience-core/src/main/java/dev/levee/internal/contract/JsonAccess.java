package dev.levee.internal.contract;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reads a Jackson tree the way {@link ObjectAccess} reads objects: field names for paths, JSON null as absent. */
public final class JsonAccess implements Access {

    /** The shared instance. */
    public static final JsonAccess INSTANCE = new JsonAccess();

    private JsonAccess() {
    }

    @Override
    public Object child(Object node, String segment) {
        JsonNode n = (JsonNode) node;
        if (n.isObject()) {
            return orAbsent(n.get(segment));
        }
        if (n.isArray()) {
            int index = Access.index(segment);
            return index >= 0 && index < n.size() ? orAbsent(n.get(index)) : ABSENT;
        }
        return NOT_A_CONTAINER;
    }

    private static Object orAbsent(@Nullable JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? ABSENT : n;
    }

    @Override
    public @Nullable String scalar(Object node) {
        JsonNode n = (JsonNode) node;
        if (n.isString()) {
            return n.stringValue();
        }
        if (n.isBoolean()) {
            return n.asString();
        }
        if (n.isNumber()) {
            return isIntegral(n) ? Long.toString(n.longValue()) : n.decimalValue().stripTrailingZeros().toPlainString();
        }
        return null;
    }

    @Override
    public @Nullable CharSequence text(Object node) {
        JsonNode n = (JsonNode) node;
        return n.isString() ? n.stringValue() : null;
    }

    @Override
    public boolean isNumber(Object node) {
        return ((JsonNode) node).isNumber();
    }

    @Override
    public boolean isIntegral(Object node) {
        JsonNode n = (JsonNode) node;
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    @Override
    public long integral(Object node) {
        return ((JsonNode) node).longValue();
    }

    @Override
    public BigDecimal decimal(Object node) {
        return ((JsonNode) node).decimalValue();
    }

    @Override
    public int size(Object node) {
        JsonNode n = (JsonNode) node;
        if (n.isArray() || n.isObject()) {
            return n.size();
        }
        return n.isString() ? n.stringValue().length() : -1;
    }

    @Override
    public int elements(Object node) {
        JsonNode n = (JsonNode) node;
        return n.isArray() ? n.size() : -1;
    }

    @Override
    public Object element(Object node, int index) {
        return orAbsent(((JsonNode) node).get(index));
    }
}

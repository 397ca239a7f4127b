package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeProperties;
import java.beans.PropertyDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.ResolvableType;

/**
 * Why a {@code levee.*} property was left unbound: the first element of its name that {@link LeveeProperties} does not
 * have, where it stands (which upstream or base configuration), the settings that are there instead and the closest
 * of them.
 *
 * @param name the unbound property
 * @param parent the path down to the unknown element, such as {@code levee.upstreams.inventory.retry}
 * @param element the unknown element, such as {@code max-atempts}
 * @param owner the upstream or base configuration the property belongs to, or the empty string
 * @param known the settings {@code parent} does have, empty if it is a value that takes none
 * @param suggestion the property with the closest known setting in place of the unknown element, or null
 */
record UnknownProperty(ConfigurationPropertyName name, String parent, String element, String owner, List<String> known,
        @Nullable String suggestion) {

    /** Walks the name down the properties' types from {@code levee}; null if every element is known. */
    static @Nullable UnknownProperty of(ConfigurationPropertyName name) {
        Class<?> type = LeveeProperties.class;
        String owner = "";
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, Form.DASHED);
            Map<String, PropertyDescriptor> settings = settings(type);
            if (settings.isEmpty()) { // a value, with more elements under it
                return new UnknownProperty(name, name.chop(i).toString(), element, owner, List.of(), null);
            }
            PropertyDescriptor setting = settings.get(element);
            if (setting == null) {
                String closest = closest(element, settings.keySet());
                String suggestion = null;
                if (closest != null) {
                    ConfigurationPropertyName corrected = name.chop(i).append(closest);
                    suggestion = (i + 1 < name.getNumberOfElements() ? corrected.append(name.subName(i + 1)) : corrected).toString();
                }
                return new UnknownProperty(name, name.chop(i).toString(), element, owner, List.copyOf(settings.keySet()), suggestion);
            }
            type = setting.getPropertyType();
            if (Map.class.isAssignableFrom(type) && i + 1 < name.getNumberOfElements()) {
                i++; // the key: an upstream's or a configuration's name
                String key = name.getElement(i, Form.ORIGINAL);
                owner = element.equals("upstreams") ? "upstream '" + key + "'" : element.equals("configs") ? "base configuration '" + key + "'" : owner;
                type = ResolvableType.forMethodReturnType(setting.getReadMethod()).asMap().getGeneric(1).toClass();
            } else if (element.equals("defaults")) {
                owner = "levee.defaults";
            }
        }
        return null;
    }

    /** The settings of a properties type by property name; none for a value type. */
    private static Map<String, PropertyDescriptor> settings(Class<?> type) {
        Map<String, PropertyDescriptor> settings = new LinkedHashMap<>();
        if (!type.getName().startsWith(LeveeProperties.class.getPackageName() + ".")) {
            return settings;
        }
        for (PropertyDescriptor pd : BeanUtils.getPropertyDescriptors(type)) {
            if (pd.getReadMethod() != null && !pd.getName().equals("class")) {
                settings.put(PropertyPaths.kebab(pd.getName()), pd);
            }
        }
        return settings;
    }

    /** The known setting a typo most likely meant: within a few edits of it. */
    private static @Nullable String closest(String element, Iterable<String> known) {
        String best = null;
        int bestDistance = Math.max(2, element.length() / 3) + 1;
        for (String candidate : known) {
            int d = distance(element, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** One line: what is unknown and where, and the settings that are there. */
    String explanation() {
        String where = owner.isEmpty() || owner.equals(parent) ? "" : " (" + owner + ")";
        if (known.isEmpty()) {
            return parent + where + " takes a value and has no settings under it, such as '" + element + "'";
        }
        return "'" + element + "' is not a setting of " + parent + where + "; its settings are " + String.join(", ", known);
    }
}

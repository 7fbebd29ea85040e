package io.courier.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;

import java.util.List;
import java.util.Locale;

/**
 * Any protobuf message as a JSON object, by its descriptor: proto field names, fields at their
 * default left out (proto3), 64-bit integers as JSON numbers (unlike JsonFormat, which writes them
 * as strings), enums as their lower-case names, nested messages and repeated fields as they come.
 * A field added to the .proto appears in the JSON mapping without code here.
 */
public final class JsonProto {
    private JsonProto() {
    }

    /**
     * A copy of {@code json} (the JSON of a {@code type} message, to be read by JsonFormat) with the
     * values of enum fields upper-cased, at any depth: clients write enums as Courier writes them, in
     * lower case, and JsonFormat knows only the exact names ({@code "open"} as well as {@code "OPEN"}).
     */
    public static JsonNode enumsUpperCased(JsonNode json, Descriptor type) {
        if (!(json instanceof ObjectNode object)) {
            return json;
        }
        ObjectNode copy = object.deepCopy();
        copy.properties().forEach(entry -> {
            FieldDescriptor f = type.findFieldByName(entry.getKey());
            if (f == null) {
                f = type.getFields().stream().filter(d -> d.getJsonName().equals(entry.getKey())).findFirst().orElse(null);
            }
            if (f == null) {
                return; // JsonFormat reports it
            }
            entry.setValue(fieldValue(f, entry.getValue()));
        });
        return copy;
    }

    private static JsonNode fieldValue(FieldDescriptor f, JsonNode value) {
        if (value.isArray() && f.isRepeated()) {
            ArrayNode array = JsonWrite.array();
            value.forEach(v -> array.add(single(f, v)));
            return array;
        }
        return single(f, value);
    }

    private static JsonNode single(FieldDescriptor f, JsonNode value) {
        if (f.getJavaType() == FieldDescriptor.JavaType.ENUM && value.isTextual()) {
            return TextNode.valueOf(value.asText().toUpperCase(Locale.ROOT));
        }
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return enumsUpperCased(value, f.getMessageType());
        }
        return value;
    }

    public static ObjectNode toJson(MessageOrBuilder message) {
        ObjectNode o = JsonWrite.object();
        for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
            if (f.isRepeated()) {
                if (message.getRepeatedFieldCount(f) > 0) {
                    ArrayNode array = o.putArray(f.getName());
                    for (Object value : (List<?>) message.getField(f)) {
                        add(array, f, value);
                    }
                }
            } else if (message.hasField(f)) {
                put(o, f, message.getField(f));
            }
        }
        return o;
    }

    private static void put(ObjectNode o, FieldDescriptor f, Object value) {
        String name = f.getName();
        switch (f.getJavaType()) {
            case STRING -> o.put(name, (String) value);
            case BOOLEAN -> o.put(name, (Boolean) value);
            case INT -> JsonWrite.uint32IfSet(o, name, (Integer) value);
            case LONG -> o.set(name, JsonWrite.uint64((Long) value));
            case DOUBLE -> JsonWrite.numberIfSet(o, name, (Double) value); // NaN and infinities have no JSON form
            case FLOAT -> JsonWrite.numberIfSet(o, name, (Float) value);
            case ENUM -> o.put(name, ((EnumValueDescriptor) value).getName().toLowerCase(Locale.ROOT));
            case MESSAGE -> o.set(name, toJson((MessageOrBuilder) value));
            case BYTE_STRING -> throw new IllegalStateException("No JSON mapping for bytes field " + f.getFullName());
        }
    }

    private static void add(ArrayNode array, FieldDescriptor f, Object value) {
        switch (f.getJavaType()) {
            case LONG -> array.add(JsonWrite.uint64((Long) value));
            case INT -> array.add((Integer) value);
            case STRING -> array.add((String) value);
            case BOOLEAN -> array.add((Boolean) value);
            case ENUM -> array.add(((EnumValueDescriptor) value).getName().toLowerCase(Locale.ROOT));
            case MESSAGE -> array.add(toJson((MessageOrBuilder) value));
            default -> throw new IllegalStateException("No JSON mapping for repeated " + f.getFullName());
        }
    }
}

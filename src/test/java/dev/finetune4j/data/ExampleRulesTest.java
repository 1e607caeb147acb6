package dev.finetune4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The int-and-switch forms of the role and key rules say what the role and key lists (used in messages) say. */
class ExampleRulesTest {
    private static final List<String> CANDIDATES = List.of("system", "developer", "user", "assistant", "tool", "function",
            "bot", "System", "", "role", "content", "name", "weight", "tool_calls", "function_call", "refusal", "tool_call_id",
            "messages", "tools", "parallel_tool_calls", "functions", "input", "preferred_output", "non_preferred_output", "prompt", "completion");

    @Test
    void rolesAgreeWithTheRoleLists() {
        for (String role : CANDIDATES) {
            int index = ExampleRules.roleIndex(role);
            assertThat(index >= 0).as(role).isEqualTo(ExampleRules.ALL_ROLES.contains(role));
            for (Method method : List.of(Method.SUPERVISED, Method.DPO, Method.REINFORCEMENT)) {
                List<String> allowed = method == Method.REINFORCEMENT ? ExampleRules.RFT_ROLES : ExampleRules.CHAT_ROLES;
                boolean expected = ExampleRules.ALL_ROLES.contains(role)
                        && (allowed.contains(role) || (role.equals("function") && method != Method.REINFORCEMENT));
                assertThat(index >= 0 && ExampleRules.roleAllowed(index, method)).as(role + " in " + method).isEqualTo(expected);
            }
        }
    }

    @Test
    void keysAgreeWithTheKeyLists() {
        Set<String> keys = new TreeSet<>(CANDIDATES);
        ExampleRules.KEYS_BY_ROLE.values().forEach(keys::addAll);
        for (String role : ExampleRules.ALL_ROLES) {
            List<String> accepted = ExampleRules.KEYS_BY_ROLE.get(role);
            for (String key : keys) {
                assertThat(ExampleRules.keyAllowed(ExampleRules.roleIndex(role), key)).as(role + "." + key)
                        .isEqualTo(accepted.contains(key) || key.equals("weight"));
            }
        }
        for (String key : keys) {
            assertThat(ExampleRules.supervisedKey(key)).as(key).isEqualTo(ExampleRules.SFT_KEYS.contains(key));
        }
    }
}

package dev.finetune4j.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FormulaTest {
    private static double eval(String formula) {
        return Formula.parse(formula).evaluate(Map.of("a", 2.0, "b", 3.0, "name_score", 0.5));
    }

    @Test
    void precedenceAndAssociativity() {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7.0);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9.0);
        assertThat(eval("8 / 4 / 2")).isEqualTo(1.0);
        assertThat(eval("10 - 4 - 3")).isEqualTo(3.0);
        assertThat(eval("2 ^ 3 ^ 2")).isEqualTo(512.0);
        assertThat(eval("-2 ^ 2")).isEqualTo(-4.0);
        assertThat(eval("2 ^ -1")).isEqualTo(0.5);
        assertThat(eval("--3")).isEqualTo(3.0);
        assertThat(eval("2 * -a")).isEqualTo(-4.0);
        assertThat(eval("a*b+name_score")).isEqualTo(6.5);
        assertThat(eval("1.5e1 + .5")).isEqualTo(15.5);
    }

    @Test
    void functions() {
        assertThat(eval("min(a, b, 1)")).isEqualTo(1.0);
        assertThat(eval("max(a, b)")).isEqualTo(3.0);
        assertThat(eval("abs(a - b)")).isEqualTo(1.0);
        assertThat(eval("floor(2.7) + ceil(2.1)")).isEqualTo(5.0);
        assertThat(eval("sqrt(16)")).isEqualTo(4.0);
        assertThat(eval("log(exp(2))")).isCloseTo(2.0, within(1e-12));
        assertThat(eval("0.5 * a + 0.5 * max(b, 0)")).isEqualTo(2.5);
    }

    @Test
    void reportsVariablesInOrder() {
        assertThat(Formula.parse("b + min(a, b) * c").variables()).containsExactly("b", "a", "c");
    }

    @Test
    void parseErrorsSayWhereAndWhy() {
        assertThatThrownBy(() -> Formula.parse("0.5 * a + 0.5 * b)"))
                .isInstanceOf(FormulaException.class).hasMessageContaining("position 17").hasMessageContaining("')'");
        assertThatThrownBy(() -> Formula.parse("(a + b")).hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> Formula.parse("a +")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Formula.parse("a ** b")).hasMessageContaining("unexpected '*'");
        assertThatThrownBy(() -> Formula.parse("pow(a, 2)")).hasMessageContaining("unknown function 'pow'");
        assertThatThrownBy(() -> Formula.parse("abs(a, b)")).hasMessageContaining("exactly one argument");
        assertThatThrownBy(() -> Formula.parse("max()")).hasMessageContaining("at least one argument");
        assertThatThrownBy(() -> Formula.parse("1.2.3")).hasMessageContaining("invalid number");
        assertThatThrownBy(() -> Formula.parse("  ")).hasMessageContaining("empty");
        FormulaException e = (FormulaException) org.assertj.core.api.Assertions.catchThrowable(() -> Formula.parse("a $ b"));
        assertThat(e.position()).isEqualTo(2);
    }

    @Test
    void unknownVariableFailsAtEvaluation() {
        assertThatThrownBy(() -> Formula.parse("a + zzz").evaluate(Map.of("a", 1.0)))
                .isInstanceOf(FormulaException.class).hasMessageContaining("unknown variable 'zzz'");
    }

    @Test
    void divisionByZeroFollowsIeee() {
        assertThat(eval("1 / 0")).isInfinite();
        assertThat(eval("sqrt(-1)")).isNaN();
    }
}

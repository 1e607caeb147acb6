package dev.finetune4j;

/** Command-line entry of the runnable jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("finetune4j");
    }
}

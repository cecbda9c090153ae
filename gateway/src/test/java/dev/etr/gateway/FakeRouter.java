package dev.etr.gateway;

import dev.etr.router.ChatTurn;
import dev.etr.router.ExpertProbability;
import dev.etr.router.Router;
import dev.etr.router.RoutingDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the trained router: picks the first expert whose name appears in the last user turn, else the
 * generalist. Remembers what it was asked and on which thread.
 */
final class FakeRouter implements Router {

    static final double CONFIDENCE = 0.75;

    private final List<String> experts;
    final List<List<ChatTurn>> conversations = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    FakeRouter(List<String> experts) {
        this.experts = List.copyOf(experts);
    }

    @Override
    public RoutingDecision route(List<ChatTurn> conversation) {
        conversations.add(conversation);
        threads.add(Thread.currentThread().getName());
        String last = conversation.stream().filter(t -> t.role().equals("user")).reduce((a, b) -> b)
                .map(t -> t.content().toLowerCase(Locale.ROOT)).orElse("");
        String chosen = experts.stream().filter(last::contains).findFirst().orElse(RoutingDecision.GENERALIST);
        List<ExpertProbability> probabilities = new ArrayList<>();
        probabilities.add(new ExpertProbability(chosen, CONFIDENCE));
        List<String> others = new ArrayList<>(experts);
        others.add(RoutingDecision.GENERALIST);
        others.remove(chosen);
        others.forEach(name -> probabilities.add(new ExpertProbability(name, (1 - CONFIDENCE) / others.size())));
        return new RoutingDecision(chosen, CONFIDENCE, false, probabilities, 1_500_000);
    }

    @Override
    public List<String> experts() {
        return experts;
    }
}

package dev.levee.spring.readme;

import dev.levee.spring.http.UpstreamRestClients;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

// README:restclient:begin
@Service
class RecommendationsClient {

    private final RestClient recommendations;

    RecommendationsClient(UpstreamRestClients restClients, @Value("${recommendations.url}") String url) {
        this.recommendations = restClients.builder("recommendations").baseUrl(url).build();
    }

    List<String> forUser(String user) {
        return recommendations.get().uri("/users/{user}/recommendations", user)
                .retrieve().body(new ParameterizedTypeReference<List<String>>() {});
    }
}
// README:restclient:end

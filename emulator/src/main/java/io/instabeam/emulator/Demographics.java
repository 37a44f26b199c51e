package io.instabeam.emulator;

import java.util.List;

/** Dimension catalogues for {@code follower_demographics}, in the formats Meta uses. */
final class Demographics {
  private Demographics() {}

  static final List<String> CITIES =
      List.of(
          "London, England",
          "New York, New York",
          "Los Angeles, California",
          "São Paulo, São Paulo (state)",
          "Sydney, New South Wales",
          "Toronto, Ontario",
          "Mumbai, Maharashtra",
          "Berlin, Berlin",
          "Paris, Île-de-France",
          "Madrid, Comunidad de Madrid",
          "Chicago, Illinois",
          "Melbourne, Victoria",
          "Amsterdam, Noord-Holland",
          "Istanbul, Istanbul Province",
          "Mexico City, Distrito Federal",
          "Jakarta, Jakarta",
          "Lagos, Lagos State",
          "Dubai, Dubai",
          "Singapore, Singapore",
          "Bangkok, Bangkok",
          "Rio de Janeiro, Rio de Janeiro (state)",
          "Montreal, Quebec",
          "San Francisco, California",
          "Houston, Texas",
          "Cape Town, Western Cape",
          "Bogotá, Distrito Especial",
          "Santiago, Santiago Metropolitan Region",
          "Cairo, Cairo Governorate",
          "Delhi, Delhi",
          "Bangalore, Karnataka",
          "Hyderabad, Telangana",
          "Chennai, Tamil Nadu",
          "Kolkata, West Bengal",
          "Denver, Colorado",
          "San Diego, California",
          "Wien, Vienna",
          "Milan, Lombardy",
          "Barcelona, Catalonia",
          "Manchester, England",
          "Dublin, Dublin",
          "Lisbon, Lisbon District",
          "Warsaw, Masovian Voivodeship",
          "Stockholm, Stockholm County",
          "Accra, Greater Accra Region",
          "Seoul, Seoul");

  static final List<String> COUNTRIES =
      List.of(
          "US", "GB", "BR", "IN", "DE", "FR", "ES", "IT", "CA", "AU", "MX", "TR", "ID", "NG", "NL",
          "AR", "CO", "PL", "SE", "JP", "KR", "AE", "ZA", "EG", "PT", "IE", "CL", "TH", "SG", "PH");

  static final List<String> AGE_BUCKETS =
      List.of("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+");

  static final List<String> GENDERS = List.of("F", "M", "U");

  static double ageWeight(String bucket) {
    switch (bucket) {
      case "13-17":
        return 0.03;
      case "18-24":
        return 0.22;
      case "25-34":
        return 0.34;
      case "35-44":
        return 0.21;
      case "45-54":
        return 0.11;
      case "55-64":
        return 0.06;
      default:
        return 0.03;
    }
  }

  static double genderWeight(String gender) {
    switch (gender) {
      case "F":
        return 0.52;
      case "M":
        return 0.44;
      default:
        return 0.04;
    }
  }
}

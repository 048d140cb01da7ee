#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/people/model.hpp"
#include "storage/database.hpp"

namespace certus::people {

/// SQL for people, competences, competence evidence, trainings and completions. Every
/// function runs in the caller's transaction.
class PeopleStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& PersonSortFields();
  static const std::vector<std::string>& CompetenceSortFields();
  static const std::vector<std::string>& TrainingSortFields();

  // People.
  Expected<void> InsertPerson(Tx& tx, const Person& person);
  Expected<std::optional<Person>> FindPerson(Tx& tx, const OrgId& org, const PersonId& id);
  /// The person other than `except` with this email (compared case-insensitively).
  Expected<std::optional<Person>> FindPersonByEmail(Tx& tx, const OrgId& org,
                                                    const std::string& email,
                                                    const PersonId& except);
  Expected<std::optional<Person>> FindPersonByUser(Tx& tx, const OrgId& org, const UserId& user,
                                                   const PersonId& except);
  Expected<Page<Person>> ListPeople(Tx& tx, const OrgId& org, const PersonFilter& filter,
                                    const PageQuery& page);
  /// Every person of the organization by name.
  Expected<std::vector<Person>> AllPeople(Tx& tx, const OrgId& org);
  Expected<bool> UpdatePerson(Tx& tx, const Person& person, std::int64_t expected_version);
  Expected<bool> DeletePerson(Tx& tx, const OrgId& org, const PersonId& id,
                              std::int64_t expected_version);
  /// How many evidence records and completions name the person.
  Expected<std::int64_t> PersonRecordCount(Tx& tx, const PersonId& id);

  // Competences.
  Expected<void> InsertCompetence(Tx& tx, const Competence& competence);
  Expected<std::optional<Competence>> FindCompetence(Tx& tx, const OrgId& org,
                                                     const CompetenceId& id);
  Expected<std::optional<Competence>> FindCompetenceByName(Tx& tx, const OrgId& org,
                                                           const std::string& name);
  Expected<Page<Competence>> ListCompetences(Tx& tx, const OrgId& org,
                                             const std::optional<std::string>& text,
                                             const PageQuery& page);
  Expected<std::vector<Competence>> AllCompetences(Tx& tx, const OrgId& org);
  Expected<bool> UpdateCompetence(Tx& tx, const Competence& competence,
                                  std::int64_t expected_version);
  Expected<bool> DeleteCompetence(Tx& tx, const OrgId& org, const CompetenceId& id,
                                  std::int64_t expected_version);
  /// How many evidence records and trainings name the competence.
  Expected<std::int64_t> CompetenceUseCount(Tx& tx, const CompetenceId& id);

  // Competence evidence.
  Expected<void> InsertEvidence(Tx& tx, const CompetenceEvidence& evidence);
  Expected<std::optional<CompetenceEvidence>> FindEvidence(Tx& tx, const OrgId& org,
                                                           const PersonId& person,
                                                           const CompetenceEvidenceId& id);
  /// A person's evidence, newest first.
  Expected<std::vector<CompetenceEvidence>> EvidenceOf(Tx& tx, const OrgId& org,
                                                       const PersonId& person);
  Expected<std::vector<CompetenceEvidence>> AllEvidence(Tx& tx, const OrgId& org);
  Expected<bool> DeleteEvidence(Tx& tx, const OrgId& org, const CompetenceEvidenceId& id,
                                std::int64_t expected_version);

  // Trainings and completions.
  Expected<void> InsertTraining(Tx& tx, const Training& training);
  Expected<std::optional<Training>> FindTraining(Tx& tx, const OrgId& org, const TrainingId& id);
  Expected<Page<Training>> ListTrainings(Tx& tx, const OrgId& org, const TrainingFilter& filter,
                                         const PageQuery& page);
  /// Every open or closed training (those that count for awareness).
  Expected<std::vector<Training>> AssignedTrainings(Tx& tx, const OrgId& org);
  /// The refs of the trainings that name `person` in their audience.
  Expected<std::vector<std::string>> TrainingsNaming(Tx& tx, const OrgId& org,
                                                     const PersonId& person);
  Expected<bool> UpdateTraining(Tx& tx, const Training& training, std::int64_t expected_version);
  Expected<bool> DeleteTraining(Tx& tx, const OrgId& org, const TrainingId& id,
                                std::int64_t expected_version);

  Expected<bool> InsertCompletion(Tx& tx, const OrgId& org, const Completion& completion);
  Expected<std::vector<Completion>> CompletionsOf(Tx& tx, const TrainingId& training);
  Expected<std::vector<Completion>> AllCompletions(Tx& tx, const OrgId& org);
};

}  // namespace certus::people

import RegistryDatabase


/// The PostgresError a throwing database call raised, or nil if it succeeded
/// or threw something else.
func postgresError(_ body: () throws -> Void) -> PostgresError? {
    do {
        try body()
        return nil
    } catch let error as PostgresError {
        return error
    } catch {
        return nil
    }
}

<?php
/** vtenext include/utils/utils.php DeleteEntity(): the list/detail view delete goes through the focus' trash(). */
function DeleteEntity($module, $return_module, $focus, $record, $return_id)
{
    $focus->trash($module, $record);
}

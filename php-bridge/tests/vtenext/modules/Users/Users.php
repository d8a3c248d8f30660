<?php
/** The bits of a vtenext Users object ($current_user) that code reads. */
class Users
{
    public $id;
    public $user_name;
    public $is_admin = 'off';
    public $column_fields = array();

    public function __construct($id = null, $userName = '', $isAdmin = false)
    {
        $this->id = $id;
        $this->user_name = $userName;
        $this->is_admin = $isAdmin ? 'on' : 'off';
    }
}
